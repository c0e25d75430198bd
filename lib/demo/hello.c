/*
 * The smallest user program: proves that crt0, printf and exit link and
 * run (lib/lib.mk builds it as build/user/hello.elf).
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("hello from user space\n");
	return 0;
}
