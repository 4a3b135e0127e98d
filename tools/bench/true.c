// SPDX-License-Identifier: GPL-2.0-only
/*
 * The program the fork+exec workload runs: exit(0) and nothing else, no C
 * library, so that the exec itself is what is measured.
 */
void _start(void)
{
	__asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
	__builtin_unreachable();
}
