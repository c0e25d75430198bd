/*
 * Parsing system.conf (policy.h). Strict: an unknown word, a bad number,
 * a duplicate label or a name too long stops the parse with the line and
 * the reason, so a mistake in the policy stops the boot instead of
 * starting a service with rights nobody meant.
 */
#include <stdio.h>
#include <string.h>
#include "servers/rs/policy.h"

static const struct {
	const char *name;
	int call;
} call_names[] = {
	{ "vircopy", SYS_VIRCOPY },
	{ "umap", SYS_UMAP },
	{ "kill", SYS_KILL },
	{ "getksig", SYS_GETKSIG },
};

uint32_t policy_basic_calls(void)
{
	return SYS_CALL_BIT(SYS_INFO) | SYS_CALL_BIT(SYS_DIAGPRINT) |
		SYS_CALL_BIT(SYS_SETCPU) | SYS_CALL_BIT(SYS_SETALARM) |
		SYS_CALL_BIT(SYS_SETGRANT) | SYS_CALL_BIT(SYS_SAFECOPYFROM) |
		SYS_CALL_BIT(SYS_SAFECOPYTO) | SYS_CALL_BIT(SYS_VSAFECOPY) |
		SYS_CALL_BIT(SYS_EXIT);
}

struct parse {
	int line;
	char *why;
	size_t why_len;
};

/* The first c in s, or NULL. */
static char *find(char *s, char c)
{
	for (; *s; s++)
		if (*s == c)
			return s;
	return NULL;
}

/* The next word of *cur (words split by any of seps), cut out in place;
 * NULL at the end. */
static char *token(char **cur, const char *seps)
{
	char *s = *cur, *w;

	while (*s && find((char *)seps, *s))
		s++;
	if (*s == '\0')
		return NULL;
	w = s;
	while (*s && !find((char *)seps, *s))
		s++;
	if (*s)
		*s++ = '\0';
	*cur = s;
	return w;
}

static int fail(struct parse *ps, const char *fmt, const char *arg)
{
	snprintf(ps->why, ps->why_len, fmt, arg);
	return EINVAL;
}

/* A copy of the len bytes at s into dst[size], or -1 if too long. */
static int copy_word(char *dst, size_t size, const char *s, size_t len)
{
	if (len == 0 || len >= size)
		return -1;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

static int is_name(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

/* A decimal number below 2^31, or -1. */
static long number(const char *s)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int parse_calls(struct parse *ps, struct policy_service *sv,
	char *list)
{
	for (char *w = token(&list, ","); w; w = token(&list, ",")) {
		size_t i;

		for (i = 0; i < sizeof call_names / sizeof call_names[0]; i++)
			if (strcmp(call_names[i].name, w) == 0)
				break;
		if (i == sizeof call_names / sizeof call_names[0])
			return fail(ps, "unknown call '%s'", w);
		sv->calls |= SYS_CALL_BIT(call_names[i].call);
	}
	return OK;
}

static int parse_ipc(struct parse *ps, const struct policy *pol,
	struct policy_service *sv, char *list)
{
	int n = 0;

	for (char *w = token(&list, ","); w; w = token(&list, ",")) {
		int known = strcmp(w, "pm") == 0;

		if (strcmp(w, "all") == 0) {
			sv->ipc_all = 1;
			continue;
		}
		for (int i = 0; i < pol->count && !known; i++)
			known = strcmp(pol->svc[i].label, w) == 0;
		if (!known)
			return fail(ps, "ipc target '%s' is no earlier "
				"service", w);
		if (n == POLICY_MAX_IPC)
			return fail(ps, "more than 2 ipc targets (at '%s'): "
				"use all", w);
		if (copy_word(sv->ipc[n++], RS_LABEL_LEN, w, strlen(w)) < 0)
			return fail(ps, "ipc target '%s' too long", w);
	}
	return OK;
}

/* One key=value word of a service line. */
static int parse_key(struct parse *ps, const struct policy *pol,
	struct policy_service *sv, char *word)
{
	char *val = find(word, '=');
	long n;

	if (val == NULL)
		return fail(ps, "'%s' is not key=value", word);
	*val++ = '\0';
	if (strcmp(word, "program") == 0) {
		if (copy_word(sv->program, sizeof sv->program, val,
				strlen(val)) < 0 || !is_name(val))
			return fail(ps, "bad program name '%s'", val);
	} else if (strcmp(word, "calls") == 0) {
		return parse_calls(ps, sv, val);
	} else if (strcmp(word, "ipc") == 0) {
		return parse_ipc(ps, pol, sv, val);
	} else if (strcmp(word, "vm") == 0) {
		if (strcmp(val, "phys") != 0)
			return fail(ps, "unknown vm right '%s'", val);
		sv->vm_flags |= RSV_PHYS;
	} else if (strcmp(word, "restart") == 0) {
		if (strcmp(val, "always") == 0 || strcmp(val, "crash") == 0)
			sv->restart = RESTART_ALWAYS;
		else if (strcmp(val, "never") == 0)
			sv->restart = RESTART_NEVER;
		else
			return fail(ps, "unknown restart policy '%s'", val);
	} else if (strcmp(word, "heartbeat") == 0) {
		if ((n = number(val)) < 0 || (n != 0 && n < 20) ||
		    n > 60000)
			return fail(ps, "heartbeat '%s' is not 0 or 20..60000 "
				"ms", val);
		sv->heartbeat_ms = (uint32_t)n;
	} else if (strcmp(word, "limit") == 0) {
		if ((n = number(val)) < 1 || n > 1000)
			return fail(ps, "limit '%s' is not 1..1000", val);
		sv->limit = (uint32_t)n;
	} else if (strcmp(word, "args") == 0) {
		if (copy_word(sv->arg, sizeof sv->arg, val, strlen(val)) < 0 ||
		    !is_name(val))
			return fail(ps, "bad args word '%s'", val);
	} else {
		return fail(ps, "unknown key '%s'", word);
	}
	return OK;
}

/* One line (NUL-terminated, comment cut). */
static int parse_line(struct parse *ps, struct policy *pol, char *text)
{
	static const char *sep = " \t\r";
	char *w = token(&text, sep);
	struct policy_service *sv;
	int r;

	if (w == NULL)
		return OK;	/* blank */
	if (strcmp(w, "service") != 0)
		return fail(ps, "'%s': a line starts with 'service'", w);
	if ((w = token(&text, sep)) == NULL)
		return fail(ps, "%sservice without a label", "");
	if (pol->count == POLICY_MAX_SERVICES)
		return fail(ps, "more than 16 services (at '%s')", w);
	sv = &pol->svc[pol->count];
	memset(sv, 0, sizeof *sv);
	sv->calls = policy_basic_calls();
	sv->limit = 5;
	if (copy_word(sv->label, sizeof sv->label, w, strlen(w)) < 0 ||
	    !is_name(w))
		return fail(ps, "bad label '%s'", w);
	if (strcmp(w, "vm") == 0 || strcmp(w, "pm") == 0 ||
	    strcmp(w, "rs") == 0)
		return fail(ps, "'%s' is a server, not a service", w);
	for (int i = 0; i < pol->count; i++)
		if (strcmp(pol->svc[i].label, w) == 0)
			return fail(ps, "label '%s' used twice", w);
	while ((w = token(&text, sep)) != NULL)
		if ((r = parse_key(ps, pol, sv, w)) != OK)
			return r;
	if (sv->program[0] == '\0')
		return fail(ps, "service '%s' has no program=", sv->label);
	pol->count++;
	return OK;
}

int policy_parse(const char *text, size_t len, struct policy *pol,
	int *line, char *why, size_t why_len)
{
	struct parse ps = { 0, why, why_len };
	char buf[256];
	size_t at = 0;

	pol->count = 0;
	why[0] = '\0';
	while (at < len) {
		size_t end = at, n;
		char *hash;
		int r;

		while (end < len && text[end] != '\n')
			end++;
		ps.line++;
		n = end - at;
		if (n >= sizeof buf) {
			*line = ps.line;
			return fail(&ps, "%sline longer than 255 bytes", "");
		}
		memcpy(buf, text + at, n);
		buf[n] = '\0';
		if (strlen(buf) != n) {
			*line = ps.line;
			return fail(&ps, "%sa NUL byte in the line", "");
		}
		if ((hash = find(buf, '#')) != NULL)
			*hash = '\0';
		if ((r = parse_line(&ps, pol, buf)) != OK) {
			*line = ps.line;
			return r;
		}
		at = end + 1;
	}
	*line = ps.line;
	return OK;
}
