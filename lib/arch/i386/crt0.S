/*
 * _start: where every user program begins. The loader leaves %esp at argc,
 * then the argv pointers, NULL, then the environment's pointers and
 * their NULL (vm/image.c). Sets environ, picks the fastest IPC mechanism,
 * runs main(argc, argv, envp), exits with its status.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* the end of every frame-pointer chain */
	movl	(%esp), %esi		/* argc */
	leal	4(%esp), %edi		/* argv */
	leal	4(%edi,%esi,4), %ebx	/* envp: past argv's NULL */
	movl	%ebx, environ
	andl	$-16, %esp		/* the i386 ABI wants 16 at each call */
	call	ipc_init		/* on failure it keeps int $0x80 */
	subl	$4, %esp
	pushl	%ebx
	pushl	%edi
	pushl	%esi
	call	main
	movl	%eax, (%esp)		/* still 16-aligned for this call */
	call	exit
1:	jmp	1b			/* exit does not return */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
