/*
 * Words of a command line (cmdwords.h).
 */
#include "kernel/lib/cmdwords.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int cmdw_next(const char *s, size_t *pos, struct cmdw *w)
{
	size_t p = *pos, i;

	while (is_blank(s[p]))
		p++;
	if (s[p] == '\0') {
		*pos = p;
		return 0;
	}
	w->word = s + p;
	while (s[p] != '\0' && !is_blank(s[p]))
		p++;
	*pos = p;
	w->len = (size_t)(s + p - w->word);
	for (i = 0; i < w->len && w->word[i] != '='; i++)
		;
	w->klen = i;
	if (i == w->len) {
		w->kind = CMDW_FLAG;
		return 1;
	}
	w->kind = i > 0 ? CMDW_PAIR : CMDW_BAD;
	while (i > 0 && w->kind == CMDW_PAIR)
		if (!key_char(w->word[--i]))
			w->kind = CMDW_BAD;
	return 1;
}

size_t cmdw_skip_image(const char *s)
{
	size_t pos = 0, at;
	struct cmdw w;

	if (!cmdw_next(s, &pos, &w))
		return pos;
	at = (size_t)(w.word - s);
	if (w.kind != CMDW_FLAG)
		return at;
	while (is_blank(s[pos]))
		pos++;
	return pos;
}

void cmdw_image_name(const char *word, size_t len, char *out, size_t size)
{
	size_t start = 0, n = 0;

	for (size_t i = 0; i < len; i++)
		if (word[i] == '/')
			start = i + 1;
	for (size_t i = start; i < len && word[i] != '.' && n + 1 < size; i++)
		out[n++] = word[i];
	out[n] = '\0';
}

int cmdw_is_key(const struct cmdw *w, const char *key)
{
	size_t i;

	if (w->kind != CMDW_PAIR)
		return 0;
	for (i = 0; i < w->klen && key[i] == w->word[i]; i++)
		;
	return i == w->klen && key[i] == '\0';
}
