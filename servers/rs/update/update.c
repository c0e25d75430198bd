/*
 * `update label=LABEL program=PROGRAM`: asks RS to replace the running
 * service LABEL by PROGRAM of the system image, live
 * (servers/rs/README.md). Its words are key=value, as every spawned
 * program's (cairn/args.h): a bare second word would name the process. RS takes
 * the request only from a process with the admin right (VM's rights:
 * this program's row, bounded by whoever spawned it). Exits with RS's
 * answer: 0 when the new program serves, else the error (the old one
 * then still serves).
 */
#include <stdio.h>
#include <string.h>
#include "cairn/args.h"
#include "cairn/ipclib.h"

int main(int argc, char **argv)
{
	const char *label = arg_value(argc, argv, "label");
	const char *program = arg_value(argc, argv, "program");
	message m = { 0 };
	int r;

	if (label == NULL || program == NULL) {
		printf("update: usage: update label=LABEL program=PROGRAM\n");
		return EINVAL;
	}
	if (strlen(label) >= RS_LABEL_LEN ||
	    strlen(program) >= RS_PROGRAM_LEN) {
		printf("update: a name is too long\n");
		return E2BIG;
	}
	m.m_type = RS_UPDATE;
	strlcpy(m.u.rs_update.label, label, RS_LABEL_LEN);
	strlcpy(m.u.rs_update.program, program, RS_PROGRAM_LEN);
	r = ipc_sendrec(RS_ENDPOINT, &m);
	if (r == OK)
		r = m.u.reply.status;
	printf("update: %s to %s: %s (%d)\n", label, program,
		r == OK ? "done" : "not done", r);
	return r;
}
