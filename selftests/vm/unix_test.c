// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unix sockets decided by their socket file's label: connect to a stream
 * socket (unix_stream_connect), connect and send to a datagram socket
 * (unix_may_send), bind (inode_mknod of the socket file) and listen
 * (socket_listen).  A socket file takes no
 * user.* xattr of its own, so its label is its directory's: the tests
 * label the directory the servers bind in.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include "kselftest_harness.h"
#include "vm_common.h"

#define SOCKDIR		TEST_DIR "/sockets"
#define STREAM		SOCKDIR "/stream"
#define DGRAM		SOCKDIR "/dgram"
#define OPEN_DIR	TEST_DIR "/open"

static const char policy[] =
	"version: 1\nname: unix\n"
	"attributes:\n"
	"  subject:\n    role: {type: string, values: [app, binder, intruder]}\n"
	"  object:\n    type: {type: string, values: [app-socket]}\n"
	"rules:\n"
	"  - {id: app-connects, nlp: \"The application may connect to its sockets.\","
	" effect: allow, ops: [connect], subject: {role: app}, object: {type: app-socket}}\n"
	"  - {id: both-bind, nlp: \"Both may create and remove socket files.\","
	" effect: allow, ops: [create, delete], object: {type: app-socket}}\n"
	"  - {id: app-listens, nlp: \"The application may listen on its sockets.\","
	" effect: allow, ops: [listen], subject: {role: app}, object: {type: app-socket}}\n"
	"  - {id: binders-bind, nlp: \"The application and binders may bind its sockets.\","
	" effect: allow, ops: [bind], subject: {role: [app, binder]}, object: {type: app-socket}}\n";

static void sun_of(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	strncpy(sa->sun_path, path, sizeof(sa->sun_path) - 1);
}

/* An untagged server socket of @type bound at @path (listening if stream). */
static int serve(int type, const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, type, 0);

	sun_of(&sa, path);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    (type == SOCK_STREAM && listen(fd, 64)))
		return -1;
	return fd;
}

static int try_stream_connect(const void *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	sun_of(&sa, path);
	if (fd < 0)
		return errno;
	return vm_rc(connect(fd, (struct sockaddr *)&sa, sizeof(sa)));
}

static int try_dgram_send(const void *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	sun_of(&sa, path);
	if (fd < 0)
		return errno;
	return vm_rc(sendto(fd, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa)));
}

static int try_dgram_connect(const void *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	sun_of(&sa, path);
	if (fd < 0)
		return errno;
	return vm_rc(connect(fd, (struct sockaddr *)&sa, sizeof(sa)));
}

static int try_bind(const void *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	sun_of(&sa, path);
	unlink(path);
	if (fd < 0)
		return errno;
	return vm_rc(bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
}

/* Bind (allowed to app and binder) then listen. */
static int try_listen(const void *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	sun_of(&sa, path);
	unlink(path);
	if (fd < 0)
		return errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return errno | 0x80;	/* bind itself failed: not the test */
	return vm_rc(listen(fd, 8));
}

FIXTURE(unix_sock) {
	int stream, dgram;
};

FIXTURE_SETUP(unix_sock)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("unix", policy));
	ASSERT_EQ(0, mkdir(SOCKDIR, 0777));
	ASSERT_EQ(0, mkdir(OPEN_DIR, 0777));
	ASSERT_EQ(0, vm_label(SOCKDIR, "type=app-socket"));
	self->stream = serve(SOCK_STREAM, STREAM);
	ASSERT_LE(0, self->stream);
	self->dgram = serve(SOCK_DGRAM, DGRAM);
	ASSERT_LE(0, self->dgram);
	ASSERT_EQ(0, vm_tag("app", "role=app"));
	ASSERT_EQ(0, vm_tag("intruder", "role=intruder"));
	ASSERT_EQ(0, vm_tag("binder", "role=binder"));
}

FIXTURE_TEARDOWN(unix_sock)
{
	close(self->stream);
	close(self->dgram);
	vm_untag("app");
	vm_untag("intruder");
	vm_untag("binder");
}

TEST_F(unix_sock, stream_connect_is_decided_by_the_socket_files_label)
{
	EXPECT_EQ(0, vm_in_cg("app", try_stream_connect, STREAM));
	EXPECT_EQ(EACCES, vm_in_cg("intruder", try_stream_connect, STREAM));
	EXPECT_TRUE(vm_log_has("\"op\":\"connect\"", "\"path\":\"stream\"",
			       10000));
	/* untagged: not decided */
	EXPECT_EQ(0, vm_in_cg(NULL, try_stream_connect, STREAM));
}

TEST_F(unix_sock, datagram_connect_and_send_are_decided_too)
{
	EXPECT_EQ(0, vm_in_cg("app", try_dgram_send, DGRAM));
	EXPECT_EQ(0, vm_in_cg("app", try_dgram_connect, DGRAM));
	EXPECT_EQ(EACCES, vm_in_cg("intruder", try_dgram_send, DGRAM));
	EXPECT_EQ(EACCES, vm_in_cg("intruder", try_dgram_connect, DGRAM));
	EXPECT_TRUE(vm_log_has("\"op\":\"connect\"", "\"path\":\"dgram\"",
			       10000));
}

TEST_F(unix_sock, bind_is_decided_by_the_label_the_file_will_have)
{
	EXPECT_EQ(0, vm_in_cg("binder", try_bind, SOCKDIR "/binder-binds"));
	EXPECT_EQ(EACCES, vm_in_cg("intruder", try_bind,
				   SOCKDIR "/intruder-binds"));
	EXPECT_TRUE(vm_log_has("\"op\":\"bind\"", "intruder-binds", 10000));
	EXPECT_NE(0, access(SOCKDIR "/intruder-binds", F_OK));
}

TEST_F(unix_sock, listen_is_decided_by_the_socket_files_label)
{
	EXPECT_EQ(0, vm_in_cg("app", try_listen, SOCKDIR "/app-listens"));
	EXPECT_EQ(EACCES, vm_in_cg("binder", try_listen,
				   SOCKDIR "/binder-listens"));
	EXPECT_TRUE(vm_log_has("\"op\":\"listen\"", "binder-listens",
			       10000));
}

TEST_F(unix_sock, a_socket_outside_labelled_directories_is_not_decided)
{
	int fd = serve(SOCK_STREAM, OPEN_DIR "/s");

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, vm_in_cg("intruder", try_stream_connect, OPEN_DIR "/s"));
	/* nor an abstract socket, which has no file */
	close(fd);
}

TEST_HARNESS_MAIN
