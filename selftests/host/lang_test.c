// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy language, decided: one table of requests over small
 * policies, each row naming the outcome (permit, deny, not-applicable,
 * indeterminate) and the effect the kernel would enforce.  Every row goes
 * through the compiler, the loader's checks and lsm/abac_decide.h, the
 * code the BPF programs run; abac_explain() must agree with it.
 *
 * Rows cover every condition operator, every relation, defaults and
 * aliases, missing attributes, the three combining algorithms with each
 * of their four outcomes, layers, time windows across midnight and
 * weekdays in a timezone, Bell-LaPadula and Biba dominance, and CIDR and
 * port matching for IPv4 and IPv6.
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "common.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wclobbered"
#endif

#define P	ABAC_OUT_PERMIT
#define D	ABAC_OUT_DENY
#define NA	ABAC_OUT_NA
#define IN	ABAC_OUT_INDET

#define R	ABAC_OP_READ
#define W	ABAC_OP_WRITE
#define C	ABAC_OP_CONNECT

/* ---- policies ---------------------------------------------------------- */

#define SCHEMA \
	"version: 1\n" \
	"name: ops\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [dev, ops, hr]," \
	" aliases: {job: role, developer: dev}}\n" \
	"    projects: {type: set, values: [apollo, gemini, mercury]}\n" \
	"    age: {type: int, min: 0, max: 150}\n" \
	"    clearance: {type: level, values: [public, internal, secret]}\n" \
	"    mfa: {type: bool}\n" \
	"    shift: {type: string, values: [day, night], default: day}\n" \
	"    team: {type: string, values: [red, blue]}\n" \
	"  object:\n" \
	"    kind: {type: string, values: [doc, code, db]}\n" \
	"    project: {type: string, values: [apollo, gemini, mercury]}\n" \
	"    classification: {type: level, values: [public, internal, secret]}\n" \
	"    owner_team: {type: string, values: [red, blue]}\n" \
	"    size: {type: int}\n" \
	"  environment:\n" \
	"    threat: {type: level, values: [low, elevated, high]}\n" \
	"    incident_acme: {type: bool, default: false}\n"

/* One allow rule for read with the given conditions. */
#define ONE(conds) SCHEMA "rules:\n  - {id: r, nlp: \"The rule under test.\"," \
	" effect: allow, ops: [read], " conds "}\n"

static const char p_eq[] = ONE("subject: {role: dev}");
static const char p_any[] = ONE("subject: {role: [dev, ops]}");
static const char p_not[] = ONE("subject: {role: {not: hr}}");
static const char p_notl[] = ONE("subject: {role: {not: [hr, ops]}}");
static const char p_pres[] = ONE("subject: {team: {present: true}}");
static const char p_abs[] = ONE("subject: {team: {present: false}}");
static const char p_set_eq[] = ONE("subject: {projects: apollo}");
static const char p_set_all[] = ONE("subject: {projects: {contains: [apollo, gemini]}}");
static const char p_set_any[] = ONE("subject: {projects: [apollo, mercury]}");
static const char p_set_not[] = ONE("subject: {projects: {not: mercury}}");
static const char p_int_eq[] = ONE("subject: {age: 30}");
static const char p_int_not[] = ONE("subject: {age: {not: 30}}");
static const char p_int_ge[] = ONE("subject: {age: {gte: 18}}");
static const char p_int_lt[] = ONE("subject: {age: {lt: 65}}");
static const char p_int_gt[] = ONE("object: {size: {gt: -5}}");
static const char p_int_le[] = ONE("object: {size: {lte: 100}}");
static const char p_int_rng[] = ONE("subject: {age: {gte: 18, lte: 65}}");
static const char p_lvl_ge[] = ONE("subject: {clearance: {gte: internal}}");
static const char p_lvl_gt[] = ONE("subject: {clearance: {gt: internal}}");
static const char p_lvl_le[] = ONE("subject: {clearance: {lte: internal}}");
static const char p_lvl_lt[] = ONE("subject: {clearance: {lt: internal}}");
static const char p_bool[] = ONE("subject: {mfa: true}");
static const char p_def[] = ONE("subject: {shift: day}");
static const char p_env[] = ONE("env: {threat: {lte: elevated}}");
static const char p_env_def[] = ONE("env: {incident_acme: false}");
static const char p_rel_eq[] = ONE("where: [\"object.owner_team == subject.team\"]");
static const char p_rel_ne[] = ONE("where: [\"object.owner_team != subject.team\"]");
static const char p_rel_ge[] = ONE("where: [\"subject.clearance >= object.classification\"]");
static const char p_rel_gt[] = ONE("where: [\"subject.clearance > object.classification\"]");
static const char p_rel_le[] = ONE("where: [\"subject.clearance <= object.classification\"]");
static const char p_rel_lt[] = ONE("where: [\"subject.clearance < object.classification\"]");
static const char p_rel_in[] = ONE("where: [\"subject.projects contains object.project\"]");
static const char p_rel_int[] = ONE("where: [\"subject.age >= object.size\"]");
static const char p_mixed[] = ONE("subject: {role: dev, mfa: true}, object: {kind: [doc, code]}");

/* A (allow, role dev) then D (deny, kind db), under each algorithm. */
#define COMB(alg, def) \
	"version: 1\nname: comb\ncombining: " alg "\ndefault: " def "\n" \
	"attributes:\n  subject:\n    role: {type: string, values: [dev, ops]}\n" \
	"  object:\n    kind: {type: string, values: [doc, db]}\n" \
	"rules:\n" \
	"  - {id: a, nlp: \"Developers may read.\", effect: allow, ops: [read]," \
	" subject: {role: dev}}\n" \
	"  - {id: d, nlp: \"Nobody may read databases.\", effect: deny," \
	" ops: [read], object: {kind: db}}\n"

static const char p_do[] = COMB("deny-overrides", "deny");
static const char p_po[] = COMB("permit-overrides", "deny");
static const char p_fa[] = COMB("first-applicable", "deny");
static const char p_do_allow[] = COMB("deny-overrides", "allow");
static const char p_fa_deny_first[] =
	"version: 1\nname: fa2\ncombining: first-applicable\n"
	"attributes:\n  subject:\n    role: {type: string, values: [dev, ops]}\n"
	"  object:\n    kind: {type: string, values: [doc, db]}\n"
	"rules:\n"
	"  - {id: d, nlp: \"Nobody may read databases.\", effect: deny,"
	" ops: [read], object: {kind: db}}\n"
	"  - {id: a, nlp: \"Developers may read.\", effect: allow, ops: [read],"
	" subject: {role: dev}}\n";

/* Layers: the top permits developers; the lower layer may only restrict. */
static const char p_top[] =
	"version: 1\nname: top\n"
	"attributes:\n  subject:\n    role: {type: string, values: [dev, ops, hr]}\n"
	"    mfa: {type: bool}\n"
	"  object:\n    kind: {type: string, values: [doc, db]}\n"
	"rules:\n"
	"  - {id: a, nlp: \"Developers may read.\", effect: allow, ops: [read],"
	" subject: {role: dev}}\n";
static const char p_lower[] =
	"version: 1\nname: lower\ncombining: deny-overrides\n"
	"rules:\n"
	"  - {id: no-db, nlp: \"Nobody may read databases.\", effect: deny,"
	" ops: [read], object: {kind: db}}\n"
	"  - {id: ops-read, nlp: \"Operators may read (cannot relax the top).\","
	" effect: allow, ops: [read], subject: {role: ops}}\n"
	"  - {id: no-mfa, nlp: \"Without MFA nobody reads.\", effect: deny,"
	" ops: [read], subject: {mfa: false}}\n";

/* Working hours on weekdays, and a night shift across midnight. */
#define TIMEP(tz) \
	"version: 1\nname: time\ntimezone: " tz "\n" \
	"attributes:\n  subject:\n    role: {type: string, values: [dev]}\n" \
	"rules:\n" \
	"  - {id: day, nlp: \"Developers read during office hours on weekdays.\"," \
	" effect: allow, ops: [read], subject: {role: dev}," \
	" env: {time: \"08:00-18:00\", days: [mon, tue, wed, thu, fri]}}\n" \
	"  - {id: night, nlp: \"Developers write during the night shift.\"," \
	" effect: allow, ops: [write], subject: {role: dev}," \
	" env: {time: \"22:00-06:00\"}}\n" \
	"  - {id: friday-evening, nlp: \"Developers connect on Friday evenings.\"," \
	" effect: allow, ops: [connect], env: {time: \"20:00-23:00\", days: [fri]}}\n"

static const char p_utc[] = TIMEP("UTC");
static const char p_ny[] = TIMEP("America/New_York");

/* Bell-LaPadula: read down, write up. */
static const char p_blp[] =
	"version: 1\nname: blp\n"
	"attributes:\n  subject:\n    clearance: {type: level, values: [unclassified, confidential, secret, top-secret]}\n"
	"  object:\n    classification: {type: level, values: [unclassified, confidential, secret, top-secret]}\n"
	"rules:\n"
	"  - {id: read-down, nlp: \"A subject reads objects at or below its clearance.\","
	" effect: allow, ops: [read], where: [\"subject.clearance >= object.classification\"]}\n"
	"  - {id: write-up, nlp: \"A subject writes objects at or above its clearance.\","
	" effect: allow, ops: [write], where: [\"subject.clearance <= object.classification\"]}\n";

/* Biba, the mirror: read up, write down. */
static const char p_biba[] =
	"version: 1\nname: biba\n"
	"attributes:\n  subject:\n    integrity: {type: level, values: [low, medium, high]}\n"
	"  object:\n    integrity: {type: level, values: [low, medium, high]}\n"
	"rules:\n"
	"  - {id: read-up, nlp: \"A subject reads objects of at least its integrity.\","
	" effect: allow, ops: [read], where: [\"subject.integrity <= object.integrity\"]}\n"
	"  - {id: write-down, nlp: \"A subject writes objects of at most its integrity.\","
	" effect: allow, ops: [write], where: [\"subject.integrity >= object.integrity\"]}\n";

/* Networks: most specific block and port range wins. */
static const char p_net[] =
	"version: 1\nname: net\n"
	"attributes:\n  subject:\n    role: {type: string, values: [dev, dba]}\n"
	"  object:\n    zone: {type: string, values: [corp, db, internet]}\n"
	"networks:\n"
	"  corp-v4: {cidrs: [10.0.0.0/8], attributes: {zone: corp}}\n"
	"  corp-db: {cidrs: [10.1.2.0/24], ports: [5432], attributes: {zone: db}}\n"
	"  web: {cidrs: [0.0.0.0/0], ports: [443, 8000-8999], attributes: {zone: internet}}\n"
	"  corp-v6: {cidrs: [\"2001:db8::/32\"], attributes: {zone: corp}}\n"
	"  v6-db: {cidrs: [\"2001:db8:1::/48\"], ports: [5432], attributes: {zone: db}}\n"
	"rules:\n"
	"  - {id: out, nlp: \"Anyone connects to the corporate network and the web.\","
	" effect: allow, ops: [connect], object: {zone: [corp, internet]}}\n"
	"  - {id: dba, nlp: \"Database administrators connect to databases.\","
	" effect: allow, ops: [connect], subject: {role: dba}, object: {zone: db}}\n";

/* Open attributes: values hashed, not listed (Documentation/scale.rst). */
#define SCHEMA_OPEN \
	"version: 1\n" \
	"name: open\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [employee, guest]}\n" \
	"    user: {type: string, open: true}\n" \
	"  object:\n" \
	"    owner: {type: string, open: true, values: [alice]}\n" \
	"    editor: {type: string, open: true}\n"
#define ONE_OPEN(conds) SCHEMA_OPEN "rules:\n  - {id: r, nlp: \"The rule under test.\"," \
	" effect: allow, ops: [read], " conds "}\n"

static const char p_open_eq[] = ONE_OPEN("subject: {user: \"Dr. Zo\u00eb M\u00fcller\"}");
static const char p_open_not[] = ONE_OPEN("subject: {user: {not: mallory}}");
static const char p_open_notl[] = ONE_OPEN("subject: {user: {not: [mallory, \"Dr. Zo\u00eb M\u00fcller\"]}}");
static const char p_open_pres[] = ONE_OPEN("object: {owner: {present: true}}");
static const char p_open_abs[] = ONE_OPEN("object: {owner: {present: false}}");
static const char p_open_rel[] = ONE_OPEN("subject: {role: employee}, where: [\"object.owner == subject.user\"]");
static const char p_open_rne[] = ONE_OPEN("where: [\"object.owner != subject.user\"]");
static const char p_open_oo[] = ONE_OPEN("where: [\"object.owner == object.editor\"]");

/* ---- the table --------------------------------------------------------- */

/**
 * struct dcase - one request and what it must decide.
 * @policy: the policy (top layer).
 * @lower: a lower layer, or NULL.
 * @op: the operation.
 * @subj: the subject's "k=v k=v", or NULL.
 * @obj: the object's "k=v k=v", or NULL.
 * @env: the environment's "k=v", or NULL.
 * @addr: "IP:PORT" or "[IPv6]:PORT" for the object, or NULL.
 * @time: ISO 8601, or NULL (then 2026-11-30T12:00Z, a Monday).
 * @outcome: the expected outcome.
 * @allow: the expected enforced effect.
 */
struct dcase {
	const char *policy, *lower;
	unsigned int op;
	const char *subj, *obj, *env, *addr, *time;
	int outcome;
	bool allow;
};

#define S(x)	.subj = x
#define O(x)	.obj = x
#define E(x)	.env = x
#define A(x)	.addr = x
#define T(x)	.time = x

static const struct dcase cases[] = {
	/* equals, any of, not, present */
	{ p_eq, NULL, R, S("role=dev"), .outcome = P, .allow = 1 },
	{ p_eq, NULL, R, S("role=ops"), .outcome = NA },
	{ p_eq, NULL, R, S("team=red"), .outcome = IN },
	{ p_eq, NULL, R, S("job=developer"), .outcome = P, .allow = 1 },
	{ p_eq, NULL, W, S("role=dev"), .outcome = NA },
	{ p_any, NULL, R, S("role=ops"), .outcome = P, .allow = 1 },
	{ p_any, NULL, R, S("role=dev"), .outcome = P, .allow = 1 },
	{ p_any, NULL, R, S("role=hr"), .outcome = NA },
	{ p_any, NULL, R, NULL, .outcome = IN },
	{ p_not, NULL, R, S("role=dev"), .outcome = P, .allow = 1 },
	{ p_not, NULL, R, S("role=hr"), .outcome = NA },
	{ p_not, NULL, R, S("team=blue"), .outcome = IN },
	{ p_notl, NULL, R, S("role=ops"), .outcome = NA },
	{ p_notl, NULL, R, S("role=dev"), .outcome = P, .allow = 1 },
	{ p_pres, NULL, R, S("team=red"), .outcome = P, .allow = 1 },
	{ p_pres, NULL, R, S("role=dev"), .outcome = NA },
	{ p_abs, NULL, R, S("role=dev"), .outcome = P, .allow = 1 },
	{ p_abs, NULL, R, S("team=blue"), .outcome = NA },
	/* sets */
	{ p_set_eq, NULL, R, S("projects=apollo,gemini"), .outcome = P, .allow = 1 },
	{ p_set_eq, NULL, R, S("projects=gemini"), .outcome = NA },
	{ p_set_eq, NULL, R, S("role=dev"), .outcome = IN },
	{ p_set_all, NULL, R, S("projects=gemini,apollo"), .outcome = P, .allow = 1 },
	{ p_set_all, NULL, R, S("projects=apollo,gemini,mercury"), .outcome = P, .allow = 1 },
	{ p_set_all, NULL, R, S("projects=apollo"), .outcome = NA },
	{ p_set_any, NULL, R, S("projects=gemini,mercury"), .outcome = P, .allow = 1 },
	{ p_set_any, NULL, R, S("projects=gemini"), .outcome = NA },
	{ p_set_not, NULL, R, S("projects=apollo"), .outcome = P, .allow = 1 },
	{ p_set_not, NULL, R, S("projects=apollo,mercury"), .outcome = NA },
	/* ints */
	{ p_int_eq, NULL, R, S("age=30"), .outcome = P, .allow = 1 },
	{ p_int_eq, NULL, R, S("age=31"), .outcome = NA },
	{ p_int_eq, NULL, R, S("role=dev"), .outcome = IN },
	{ p_int_not, NULL, R, S("age=29"), .outcome = P, .allow = 1 },
	{ p_int_not, NULL, R, S("age=30"), .outcome = NA },
	{ p_int_ge, NULL, R, S("age=18"), .outcome = P, .allow = 1 },
	{ p_int_ge, NULL, R, S("age=17"), .outcome = NA },
	{ p_int_ge, NULL, R, S("age=0"), .outcome = NA },
	{ p_int_ge, NULL, R, S("age=150"), .outcome = P, .allow = 1 },
	{ p_int_lt, NULL, R, S("age=64"), .outcome = P, .allow = 1 },
	{ p_int_lt, NULL, R, S("age=65"), .outcome = NA },
	{ p_int_gt, NULL, R, O("size=-4"), .outcome = P, .allow = 1 },
	{ p_int_gt, NULL, R, O("size=-5"), .outcome = NA },
	{ p_int_gt, NULL, R, O("size=-9223372036854775807"), .outcome = NA },
	{ p_int_gt, NULL, R, O("size=9223372036854775807"), .outcome = P, .allow = 1 },
	{ p_int_le, NULL, R, O("size=100"), .outcome = P, .allow = 1 },
	{ p_int_le, NULL, R, O("size=101"), .outcome = NA },
	{ p_int_le, NULL, R, O("size=-100"), .outcome = P, .allow = 1 },
	{ p_int_rng, NULL, R, S("age=40"), .outcome = P, .allow = 1 },
	{ p_int_rng, NULL, R, S("age=70"), .outcome = NA },
	{ p_int_rng, NULL, R, S("age=10"), .outcome = NA },
	/* levels */
	{ p_lvl_ge, NULL, R, S("clearance=secret"), .outcome = P, .allow = 1 },
	{ p_lvl_ge, NULL, R, S("clearance=internal"), .outcome = P, .allow = 1 },
	{ p_lvl_ge, NULL, R, S("clearance=public"), .outcome = NA },
	{ p_lvl_gt, NULL, R, S("clearance=internal"), .outcome = NA },
	{ p_lvl_gt, NULL, R, S("clearance=secret"), .outcome = P, .allow = 1 },
	{ p_lvl_le, NULL, R, S("clearance=public"), .outcome = P, .allow = 1 },
	{ p_lvl_le, NULL, R, S("clearance=secret"), .outcome = NA },
	{ p_lvl_lt, NULL, R, S("clearance=public"), .outcome = P, .allow = 1 },
	{ p_lvl_lt, NULL, R, S("clearance=internal"), .outcome = NA },
	{ p_lvl_lt, NULL, R, NULL, .outcome = IN },
	/* bool, defaults, several conditions */
	{ p_bool, NULL, R, S("mfa=true"), .outcome = P, .allow = 1 },
	{ p_bool, NULL, R, S("mfa=false"), .outcome = NA },
	{ p_bool, NULL, R, S("role=dev"), .outcome = IN },
	{ p_def, NULL, R, NULL, .outcome = P, .allow = 1 },
	{ p_def, NULL, R, S("shift=night"), .outcome = NA },
	{ p_mixed, NULL, R, S("role=dev mfa=true"), O("kind=code"), .outcome = P, .allow = 1 },
	{ p_mixed, NULL, R, S("role=dev mfa=true"), O("kind=db"), .outcome = NA },
	{ p_mixed, NULL, R, S("role=dev"), O("kind=doc"), .outcome = IN },
	/* a false condition beats a missing one: not applicable */
	{ p_mixed, NULL, R, S("role=ops"), O("kind=doc"), .outcome = NA },
	{ p_mixed, NULL, R, S("role=dev mfa=true"), NULL, .outcome = IN },
	/* environment attributes and their defaults */
	{ p_env, NULL, R, NULL, NULL, E("threat=low"), .outcome = P, .allow = 1 },
	{ p_env, NULL, R, NULL, NULL, E("threat=elevated"), .outcome = P, .allow = 1 },
	{ p_env, NULL, R, NULL, NULL, E("threat=high"), .outcome = NA },
	{ p_env, NULL, R, NULL, NULL, NULL, .outcome = IN },
	{ p_env_def, NULL, R, NULL, NULL, NULL, .outcome = P, .allow = 1 },
	{ p_env_def, NULL, R, NULL, NULL, E("incident_acme=true"), .outcome = NA },
	{ p_env_def, NULL, R, NULL, NULL, E("incident_acme=false"), .outcome = P, .allow = 1 },
	/* relations */
	{ p_rel_eq, NULL, R, S("team=red"), O("owner_team=red"), .outcome = P, .allow = 1 },
	{ p_rel_eq, NULL, R, S("team=red"), O("owner_team=blue"), .outcome = NA },
	{ p_rel_eq, NULL, R, S("team=red"), NULL, .outcome = IN },
	{ p_rel_eq, NULL, R, NULL, O("owner_team=red"), .outcome = IN },
	{ p_rel_ne, NULL, R, S("team=red"), O("owner_team=blue"), .outcome = P, .allow = 1 },
	{ p_rel_ne, NULL, R, S("team=blue"), O("owner_team=blue"), .outcome = NA },
	{ p_rel_ge, NULL, R, S("clearance=secret"), O("classification=internal"), .outcome = P, .allow = 1 },
	{ p_rel_ge, NULL, R, S("clearance=internal"), O("classification=internal"), .outcome = P, .allow = 1 },
	{ p_rel_ge, NULL, R, S("clearance=public"), O("classification=internal"), .outcome = NA },
	{ p_rel_gt, NULL, R, S("clearance=internal"), O("classification=internal"), .outcome = NA },
	{ p_rel_gt, NULL, R, S("clearance=secret"), O("classification=public"), .outcome = P, .allow = 1 },
	{ p_rel_le, NULL, R, S("clearance=internal"), O("classification=internal"), .outcome = P, .allow = 1 },
	{ p_rel_le, NULL, R, S("clearance=secret"), O("classification=internal"), .outcome = NA },
	{ p_rel_lt, NULL, R, S("clearance=public"), O("classification=secret"), .outcome = P, .allow = 1 },
	{ p_rel_lt, NULL, R, S("clearance=secret"), O("classification=secret"), .outcome = NA },
	{ p_rel_in, NULL, R, S("projects=apollo,gemini"), O("project=gemini"), .outcome = P, .allow = 1 },
	{ p_rel_in, NULL, R, S("projects=apollo"), O("project=gemini"), .outcome = NA },
	{ p_rel_in, NULL, R, S("projects=apollo"), NULL, .outcome = IN },
	{ p_rel_int, NULL, R, S("age=30"), O("size=20"), .outcome = P, .allow = 1 },
	{ p_rel_int, NULL, R, S("age=30"), O("size=30"), .outcome = P, .allow = 1 },
	{ p_rel_int, NULL, R, S("age=10"), O("size=20"), .outcome = NA },
	{ p_rel_int, NULL, R, S("age=10"), O("size=-20"), .outcome = P, .allow = 1 },
	/* open attributes: equality on the hash of the text, relations */
	{ p_open_eq, NULL, R, S("user=\"Dr. Zo\xc3\xab M\xc3\xbcller\""), .outcome = P, .allow = 1 },
	{ p_open_eq, NULL, R, S("user=\"Dr. Zoe Muller\""), .outcome = NA },
	{ p_open_eq, NULL, R, S("user=\"Dr. Zo\xc3\xab M\xc3\xbcllers\""), .outcome = NA },
	{ p_open_eq, NULL, R, S("role=employee"), .outcome = IN },
	{ p_open_not, NULL, R, S("user=alice"), .outcome = P, .allow = 1 },
	{ p_open_not, NULL, R, S("user=mallory"), .outcome = NA },
	{ p_open_not, NULL, R, NULL, .outcome = IN },
	{ p_open_notl, NULL, R, S("user=alice"), .outcome = P, .allow = 1 },
	{ p_open_notl, NULL, R, S("user=mallory"), .outcome = NA },
	{ p_open_notl, NULL, R, S("user=\"Dr. Zo\xc3\xab M\xc3\xbcller\""), .outcome = NA },
	{ p_open_notl, NULL, R, S("role=guest"), .outcome = IN },
	{ p_open_pres, NULL, R, NULL, O("owner=anyone"), .outcome = P, .allow = 1 },
	{ p_open_pres, NULL, R, NULL, O("editor=x"), .outcome = NA },
	{ p_open_abs, NULL, R, NULL, O("owner=alice"), .outcome = NA },
	{ p_open_abs, NULL, R, NULL, O("editor=x"), .outcome = P, .allow = 1 },
	{ p_open_rel, NULL, R, S("role=employee user=alice"), O("owner=alice"), .outcome = P, .allow = 1 },
	{ p_open_rel, NULL, R, S("role=employee user=bob"), O("owner=bob"), .outcome = P, .allow = 1 },
	{ p_open_rel, NULL, R, S("role=employee user=bob"), O("owner=alice"), .outcome = NA },
	{ p_open_rel, NULL, R, S("role=employee user=alice"), O("owner=Alice"), .outcome = NA },
	{ p_open_rel, NULL, R, S("role=guest user=alice"), O("owner=alice"), .outcome = NA },
	{ p_open_rel, NULL, R, S("role=employee"), O("owner=alice"), .outcome = IN },
	{ p_open_rel, NULL, R, S("role=employee user=\"PRJ-2024/\xc3\x84\xc3\x96\""), O("owner=\"PRJ-2024/\xc3\x84\xc3\x96\""), .outcome = P, .allow = 1 },
	{ p_open_rne, NULL, R, S("user=alice"), O("owner=bob"), .outcome = P, .allow = 1 },
	{ p_open_rne, NULL, R, S("user=alice"), O("owner=alice"), .outcome = NA },
	{ p_open_oo, NULL, R, NULL, O("owner=x@example.org editor=x@example.org"), .outcome = P, .allow = 1 },
	{ p_open_oo, NULL, R, NULL, O("owner=x@example.org editor=y@example.org"), .outcome = NA },
	/* deny-overrides: a (role) x d (kind), each permit/deny, n/a, missing */
	{ p_do, NULL, R, S("role=dev"), O("kind=db"), .outcome = D },
	{ p_do, NULL, R, S("role=dev"), O("kind=doc"), .outcome = P, .allow = 1 },
	{ p_do, NULL, R, S("role=dev"), NULL, .outcome = IN },
	{ p_do, NULL, R, S("role=ops"), O("kind=db"), .outcome = D },
	{ p_do, NULL, R, S("role=ops"), O("kind=doc"), .outcome = NA },
	{ p_do, NULL, R, S("role=ops"), NULL, .outcome = IN },
	{ p_do, NULL, R, NULL, O("kind=db"), .outcome = D },
	{ p_do, NULL, R, NULL, O("kind=doc"), .outcome = IN },
	{ p_do, NULL, R, NULL, NULL, .outcome = IN },
	/* permit-overrides */
	{ p_po, NULL, R, S("role=dev"), O("kind=db"), .outcome = P, .allow = 1 },
	{ p_po, NULL, R, S("role=dev"), O("kind=doc"), .outcome = P, .allow = 1 },
	{ p_po, NULL, R, S("role=dev"), NULL, .outcome = P, .allow = 1 },
	{ p_po, NULL, R, S("role=ops"), O("kind=db"), .outcome = D },
	{ p_po, NULL, R, S("role=ops"), O("kind=doc"), .outcome = NA },
	{ p_po, NULL, R, S("role=ops"), NULL, .outcome = IN },
	{ p_po, NULL, R, NULL, O("kind=db"), .outcome = IN },
	{ p_po, NULL, R, NULL, O("kind=doc"), .outcome = IN },
	{ p_po, NULL, R, NULL, NULL, .outcome = IN },
	/* first-applicable, a before d */
	{ p_fa, NULL, R, S("role=dev"), O("kind=db"), .outcome = P, .allow = 1 },
	{ p_fa, NULL, R, S("role=dev"), O("kind=doc"), .outcome = P, .allow = 1 },
	{ p_fa, NULL, R, S("role=dev"), NULL, .outcome = P, .allow = 1 },
	{ p_fa, NULL, R, S("role=ops"), O("kind=db"), .outcome = D },
	{ p_fa, NULL, R, S("role=ops"), O("kind=doc"), .outcome = NA },
	{ p_fa, NULL, R, S("role=ops"), NULL, .outcome = IN },
	{ p_fa, NULL, R, NULL, O("kind=db"), .outcome = IN },
	{ p_fa, NULL, R, NULL, O("kind=doc"), .outcome = IN },
	{ p_fa, NULL, R, NULL, NULL, .outcome = IN },
	/* first-applicable, d before a: order decides */
	{ p_fa_deny_first, NULL, R, S("role=dev"), O("kind=db"), .outcome = D },
	{ p_fa_deny_first, NULL, R, S("role=dev"), O("kind=doc"), .outcome = P, .allow = 1 },
	{ p_fa_deny_first, NULL, R, S("role=dev"), NULL, .outcome = IN },
	{ p_fa_deny_first, NULL, R, S("role=ops"), O("kind=doc"), .outcome = NA },
	/* default: allow turns only not-applicable into allow */
	{ p_do_allow, NULL, R, S("role=ops"), O("kind=doc"), .outcome = NA, .allow = 1 },
	{ p_do_allow, NULL, R, S("role=ops"), O("kind=db"), .outcome = D },
	{ p_do_allow, NULL, R, NULL, O("kind=doc"), .outcome = IN },
	{ p_do_allow, NULL, W, S("role=dev"), O("kind=db"), .outcome = NA, .allow = 1 },
	/* layers: a lower layer restricts, never relaxes */
	{ p_top, p_lower, R, S("role=dev mfa=true"), O("kind=doc"), .outcome = P, .allow = 1 },
	{ p_top, p_lower, R, S("role=dev mfa=true"), O("kind=db"), .outcome = D },
	{ p_top, p_lower, R, S("role=ops mfa=true"), O("kind=doc"), .outcome = NA },
	{ p_top, p_lower, R, S("role=dev"), O("kind=doc"), .outcome = IN },
	{ p_top, p_lower, R, S("role=hr mfa=true"), O("kind=db"), .outcome = D },
	{ p_top, p_lower, R, S("role=dev mfa=false"), O("kind=doc"), .outcome = D },
	{ p_top, p_lower, W, S("role=dev mfa=true"), O("kind=doc"), .outcome = NA },
	/* time windows (2026-11-30 is a Monday) */
	{ p_utc, NULL, R, S("role=dev"), T("2026-11-30T08:00Z"), .outcome = P, .allow = 1 },
	{ p_utc, NULL, R, S("role=dev"), T("2026-11-30T07:59Z"), .outcome = NA },
	{ p_utc, NULL, R, S("role=dev"), T("2026-11-30T17:59:59Z"), .outcome = P, .allow = 1 },
	{ p_utc, NULL, R, S("role=dev"), T("2026-11-30T18:00Z"), .outcome = NA },
	{ p_utc, NULL, R, S("role=dev"), T("2026-12-05T10:00Z"), .outcome = NA },
	{ p_utc, NULL, R, S("role=dev"), T("2026-12-06T10:00Z"), .outcome = NA },
	{ p_utc, NULL, R, S("role=dev"), T("2026-12-04T10:00Z"), .outcome = P, .allow = 1 },
	{ p_utc, NULL, R, S("role=dev"), T("2026-12-01T12:00+02:00"), .outcome = P, .allow = 1 },
	{ p_utc, NULL, R, S("role=dev"), T("2026-12-01T09:00+02:00"), .outcome = NA },
	{ p_utc, NULL, W, S("role=dev"), T("2026-11-30T23:30Z"), .outcome = P, .allow = 1 },
	{ p_utc, NULL, W, S("role=dev"), T("2026-11-30T22:00Z"), .outcome = P, .allow = 1 },
	{ p_utc, NULL, W, S("role=dev"), T("2026-11-30T21:59Z"), .outcome = NA },
	{ p_utc, NULL, W, S("role=dev"), T("2026-12-01T00:00Z"), .outcome = P, .allow = 1 },
	{ p_utc, NULL, W, S("role=dev"), T("2026-12-01T05:59Z"), .outcome = P, .allow = 1 },
	{ p_utc, NULL, W, S("role=dev"), T("2026-12-01T06:00Z"), .outcome = NA },
	{ p_utc, NULL, W, S("role=dev"), T("2026-12-01T12:00Z"), .outcome = NA },
	{ p_ny, NULL, R, S("role=dev"), T("2026-11-30T13:00Z"), .outcome = P, .allow = 1 },
	{ p_ny, NULL, R, S("role=dev"), T("2026-11-30T12:59Z"), .outcome = NA },
	{ p_ny, NULL, R, S("role=dev"), T("2026-11-30T08:00"), .outcome = P, .allow = 1 },
	{ p_ny, NULL, R, S("role=dev"), T("2026-11-30T08:00-05:00"), .outcome = P, .allow = 1 },
	{ p_ny, NULL, R, S("role=dev"), T("2026-07-06T12:00Z"), .outcome = P, .allow = 1 },
	{ p_ny, NULL, R, S("role=dev"), T("2026-07-06T11:59Z"), .outcome = NA },
	{ p_ny, NULL, C, NULL, T("2026-12-05T03:00Z"), .outcome = P, .allow = 1 },
	{ p_utc, NULL, C, NULL, T("2026-12-05T03:00Z"), .outcome = NA },
	{ p_utc, NULL, C, NULL, T("2026-12-04T21:00Z"), .outcome = P, .allow = 1 },
	/* Bell-LaPadula: read down, write up */
	{ p_blp, NULL, R, S("clearance=secret"), O("classification=confidential"), .outcome = P, .allow = 1 },
	{ p_blp, NULL, R, S("clearance=secret"), O("classification=secret"), .outcome = P, .allow = 1 },
	{ p_blp, NULL, R, S("clearance=secret"), O("classification=top-secret"), .outcome = NA },
	{ p_blp, NULL, W, S("clearance=secret"), O("classification=top-secret"), .outcome = P, .allow = 1 },
	{ p_blp, NULL, W, S("clearance=secret"), O("classification=secret"), .outcome = P, .allow = 1 },
	{ p_blp, NULL, W, S("clearance=secret"), O("classification=unclassified"), .outcome = NA },
	{ p_blp, NULL, R, S("clearance=unclassified"), O("classification=unclassified"), .outcome = P, .allow = 1 },
	{ p_blp, NULL, R, NULL, O("classification=unclassified"), .outcome = IN },
	/* Biba: read up, write down */
	{ p_biba, NULL, R, S("integrity=medium"), O("integrity=high"), .outcome = P, .allow = 1 },
	{ p_biba, NULL, R, S("integrity=medium"), O("integrity=low"), .outcome = NA },
	{ p_biba, NULL, W, S("integrity=medium"), O("integrity=low"), .outcome = P, .allow = 1 },
	{ p_biba, NULL, W, S("integrity=medium"), O("integrity=high"), .outcome = NA },
	{ p_biba, NULL, W, S("integrity=high"), O("integrity=high"), .outcome = P, .allow = 1 },
	/* networks, IPv4 */
	{ p_net, NULL, C, S("role=dev"), A("10.2.3.4:22"), .outcome = P, .allow = 1 },
	{ p_net, NULL, C, S("role=dev"), A("10.1.2.3:5432"), .outcome = NA },
	{ p_net, NULL, C, S("role=dba"), A("10.1.2.3:5432"), .outcome = P, .allow = 1 },
	{ p_net, NULL, C, S("role=dev"), A("10.1.2.3:5433"), .outcome = P, .allow = 1 },
	{ p_net, NULL, C, S("role=dev"), A("10.1.3.3:5432"), .outcome = P, .allow = 1 },
	{ p_net, NULL, C, S("role=dev"), A("8.8.8.8:443"), .outcome = P, .allow = 1 },
	{ p_net, NULL, C, S("role=dev"), A("8.8.8.8:8000"), .outcome = P, .allow = 1 },
	{ p_net, NULL, C, S("role=dev"), A("8.8.8.8:8999"), .outcome = P, .allow = 1 },
	{ p_net, NULL, C, S("role=dev"), A("8.8.8.8:9000"), .outcome = IN },
	{ p_net, NULL, C, S("role=dev"), A("8.8.8.8:22"), .outcome = IN },
	{ p_net, NULL, C, S("role=dev"), A("11.0.0.1:22"), .outcome = IN },
	{ p_net, NULL, C, S("role=dev"), A("9.255.255.255:22"), .outcome = IN },
	/* networks, IPv6 */
	{ p_net, NULL, C, S("role=dev"), A("[2001:db8::1]:80"), .outcome = P, .allow = 1 },
	{ p_net, NULL, C, S("role=dev"), A("[2001:db8:1::5]:5432"), .outcome = NA },
	{ p_net, NULL, C, S("role=dba"), A("[2001:db8:1::5]:5432"), .outcome = P, .allow = 1 },
	{ p_net, NULL, C, S("role=dev"), A("[2001:db8:1::5]:5431"), .outcome = P, .allow = 1 },
	{ p_net, NULL, C, S("role=dev"), A("[2001:db9::1]:80"), .outcome = IN },
	{ p_net, NULL, C, S("role=dev"), A("[2001:db8:ffff:ffff::1]:22"), .outcome = P, .allow = 1 },
	{ p_net, NULL, C, S("role=dev"), A("[::ffff:10.1.1.1]:22"), .outcome = IN },
};

/* Write @text to a temporary file whose name goes to @path. */
static int write_tmp(const char *text, char *path, size_t sz)
{
	FILE *f;
	int fd;

	snprintf(path, sz, "/tmp/abac-lang-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int parse_policy(const struct dcase *c, struct abac_policy **p,
			struct abac_diags *d)
{
	char top[64], low[64];
	const char *files[2] = { top, low };
	int err;

	if (!c->lower)
		return t_parse(c->policy, p, d);
	if (write_tmp(c->policy, top, sizeof(top)) ||
	    write_tmp(c->lower, low, sizeof(low)))
		return -EIO;
	err = abac_policy_parse_files(files, 2, p, d);
	unlink(top);
	unlink(low);
	return err;
}

static int object_from_addr(const struct abac_image *img, const char *s,
			    struct abac_attrs *o)
{
	const struct abac_attrs *na;
	char host[64];
	const char *colon;
	__u8 addr[16] = { 0 };
	__u32 family, idx;
	size_t n;

	if (s[0] == '[') {
		colon = strstr(s, "]:");
		n = colon - s - 1;
		memcpy(host, s + 1, n);
		colon++;
	} else {
		colon = strrchr(s, ':');
		n = colon - s;
		memcpy(host, s, n);
	}
	host[n] = '\0';
	if (inet_pton(AF_INET, host, addr) == 1)
		family = 4;
	else if (inet_pton(AF_INET6, host, addr) == 1)
		family = 6;
	else
		return -1;
	na = abac_net_find(img, family, addr, atoi(colon + 1), &idx);
	memset(o, 0, sizeof(*o));
	if (na)
		*o = *na;
	return 0;
}

static void decide_case(struct __test_metadata *_metadata, size_t i,
			const struct dcase *c, unsigned int *ran)
{
	struct abac_attrs s = { 0 }, o = { 0 };
	struct abac_policy *p = NULL;
	struct abac_request rq;
	struct abac_explain x;
	struct abac_decision d;
	struct abac_image v;
	struct abac_diags dg;
	struct abac_env env;
	void *img = NULL;
	size_t len;
	time_t t;

	memset(&env, 0, sizeof(env));
	abac_diags_init(&dg);
	ASSERT_EQ(0, parse_policy(c, &p, &dg)) {
		TH_LOG("case %zu: policy", i);
		t_diags_dump(&dg);
	}
	ASSERT_EQ(0, abac_image_build(p, NULL, 0, &img, &len, &dg))
		t_diags_dump(&dg);
	ASSERT_EQ(0, abac_image_check(img, len, &dg)) t_diags_dump(&dg);
	v = abac_image_view(img, len);
	if (c->subj)
		ASSERT_EQ(0, abac_attrs_resolve(p, ABAC_SIDE_SUBJECT, "<s>",
						c->subj, &s, &dg)) {
			TH_LOG("case %zu", i);
			t_diags_dump(&dg);
		}
	if (c->obj)
		ASSERT_EQ(0, abac_attrs_resolve(p, ABAC_SIDE_OBJECT, "<o>",
						c->obj, &o, &dg)) {
			TH_LOG("case %zu", i);
			t_diags_dump(&dg);
		}
	if (c->env)
		ASSERT_EQ(0, abac_attrs_resolve(p, ABAC_SIDE_ENV, "<e>",
						c->env, &env.a, &dg))
			t_diags_dump(&dg);
	if (c->addr)
		ASSERT_EQ(0, object_from_addr(&v, c->addr, &o));
	ASSERT_EQ(0, abac_parse_time(c->time ? c->time : "2026-11-30T12:00Z",
				     p->timezone, &t)) TH_LOG("case %zu", i);
	ASSERT_EQ(0, abac_local_time(t, p->timezone, &env));
	rq.s = &s;
	rq.o = &o;
	rq.e = &env;
	abac_decide(&v, c->op, &rq, &d);
	EXPECT_EQ(c->outcome, d.outcome) TH_LOG("case %zu (%s %s %s %s %s)", i,
		abac_op_name(c->op), c->subj ? c->subj : "-",
		c->obj ? c->obj : (c->addr ? c->addr : "-"),
		c->env ? c->env : "-", c->time ? c->time : "-");
	EXPECT_EQ(c->allow ? ABAC_ALLOW : ABAC_DENY, d.effect)
		TH_LOG("case %zu", i);
	ASSERT_EQ(0, abac_explain(p, &v, c->op, &rq, &x));
	EXPECT_EQ(d.outcome, x.d.outcome);
	EXPECT_EQ(d.rule, x.d.rule);
	if (d.outcome != ABAC_OUT_NA)
		EXPECT_LT(0, (int)x.nrules) TH_LOG("case %zu: no rule", i);
	if (d.effect == ABAC_DENY && d.outcome != ABAC_OUT_NA)
		EXPECT_LT(0, (int)x.nhints) TH_LOG("case %zu: no hint", i);
	abac_explain_free(&x);
	free(img);
	abac_policy_free(p);
	abac_diags_free(&dg);
	(*ran)++;
}

TEST(decision_table)
{
	unsigned int ran = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		decide_case(_metadata, i, &cases[i], &ran);
	EXPECT_EQ(ARRAY_SIZE(cases), ran);
	EXPECT_LE(150, (int)ARRAY_SIZE(cases));
	TH_LOG("%u decision cases", ran);
}

TEST(int_below_the_smallest_word_is_refused)
{
	struct abac_policy *p = NULL;
	struct abac_attrs o;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(p_int_gt, &p, &d)) t_diags_dump(&d);
	EXPECT_EQ(-EINVAL, abac_attrs_resolve(p, ABAC_SIDE_OBJECT, "<o>",
					      "size=-9223372036854775808", &o,
					      &d));
	ASSERT_LT(0, (int)d.n);
	EXPECT_NE(NULL, strstr(d.v[0].msg, "below the smallest int"));
	abac_policy_free(p);
	abac_diags_free(&d);
}

/* events: the fold window and budget, their defaults, bad values refused */
TEST(events_settings_are_read_with_defaults_and_checked)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(p_eq, &p, &d)) t_diags_dump(&d);
	EXPECT_EQ(ABAC_FOLD_WINDOW_MS_DEFAULT, (int)p->fold_window_ms);
	EXPECT_EQ(ABAC_EVENT_BUDGET_DEFAULT, (int)p->event_budget);
	EXPECT_EQ(0, (int)p->allow_sample);	/* allows are opt-in */
	abac_policy_free(p);
	p = NULL;
	ASSERT_EQ(0, t_parse(ONE("subject: {role: dev}")
			     "events: {fold-window: 0, budget: 50, "
			     "sample-allows: 100}\n", &p, &d))
		t_diags_dump(&d);
	EXPECT_EQ(0, (int)p->fold_window_ms);
	EXPECT_EQ(50, (int)p->event_budget);
	EXPECT_EQ(100, (int)p->allow_sample);
	abac_policy_free(p);
	p = NULL;
	EXPECT_NE(0, t_parse(ONE("subject: {role: dev}")
			     "events: {fold-window: -1}\n", &p, &d));
	EXPECT_NE(NULL, t_diag(&d, "whole number"));
	abac_diags_free(&d);
	abac_diags_init(&d);
	EXPECT_NE(0, t_parse(ONE("subject: {role: dev}")
			     "events: {budget: 0}\n", &p, &d));
	EXPECT_NE(NULL, t_diag(&d, "at least 1"));
	abac_diags_free(&d);
	abac_diags_init(&d);
	EXPECT_NE(0, t_parse(ONE("subject: {role: dev}")
			     "events: {sample-allows: 1000001}\n", &p, &d));
	EXPECT_NE(NULL, t_diag(&d, "sample-allows"));
	abac_diags_free(&d);
	abac_diags_init(&d);
	EXPECT_NE(0, t_parse(ONE("subject: {role: dev}")
			     "events: {window: 5}\n", &p, &d));
	abac_diags_free(&d);
}

TEST_HARNESS_MAIN
