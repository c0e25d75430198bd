/*
 * printf-style formatting (see format.h): one formatter, kvformat, that
 * streams characters to a callback, and the snprintf family on top of it.
 * No floating point and no %n.
 */
#include "format.h"

#include <stdint.h>
#include "string.h"

/* Flags of one conversion specification. */
#define FMT_LEFT	0x01	/* '-' */
#define FMT_ZERO	0x02	/* '0' */
#define FMT_SPACE	0x04	/* ' ' */
#define FMT_PLUS	0x08	/* '+' */
#define FMT_ALT		0x10	/* '#' */

enum fmt_len { LEN_INT, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z };

struct fmt_spec {
	unsigned flags;		/* FMT_* */
	int width;		/* minimum field width */
	int prec;		/* precision, or -1 when none was given */
	enum fmt_len len;
};

struct fmt_out {
	void (*put)(char c, void *arg);
	void *arg;
	int count;
};

/* Keeps absurd widths from overflowing an int; no field is that wide. */
#define FMT_MAX_FIELD	100000

static void out_char(struct fmt_out *o, char c)
{
	o->put(c, o->arg);
	o->count++;
}

static void out_repeat(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_chars(struct fmt_out *o, const char *s, size_t n)
{
	while (n--)
		out_char(o, *s++);
}

static int parse_int(const char **f)
{
	int v = 0;

	while (**f >= '0' && **f <= '9') {
		if (v < FMT_MAX_FIELD)
			v = v * 10 + (**f - '0');
		(*f)++;
	}
	return v < FMT_MAX_FIELD ? v : FMT_MAX_FIELD;
}

/* '*' arguments: a negative width means '-'; a negative precision, none. */
static void star_width(struct fmt_spec *sp, int w)
{
	if (w < 0) {
		sp->flags |= FMT_LEFT;
		w = w < -FMT_MAX_FIELD ? FMT_MAX_FIELD : -w;
	}
	sp->width = w < FMT_MAX_FIELD ? w : FMT_MAX_FIELD;
}

static const char *parse_length(const char *f, struct fmt_spec *sp)
{
	sp->len = LEN_INT;
	if (f[0] == 'h' && f[1] == 'h') {
		sp->len = LEN_HH;
		return f + 2;
	}
	if (f[0] == 'l' && f[1] == 'l') {
		sp->len = LEN_LL;
		return f + 2;
	}
	if (*f == 'h')
		sp->len = LEN_H;
	else if (*f == 'l')
		sp->len = LEN_L;
	else if (*f == 'z')
		sp->len = LEN_Z;
	else
		return f;
	return f + 1;
}

/* Parses flags, width, precision and length after a '%'; returns a
 * pointer to the conversion character. */
static const char *parse_spec(const char *f, struct fmt_spec *sp, va_list *ap)
{
	/* In the order of the FMT_* bits. */
	static const char flag_chars[] = "-0 +#";
	const char *c;

	sp->flags = 0;
	for (;;) {
		for (c = flag_chars; *c && *c != *f; c++)
			;
		if (!*c)
			break;
		sp->flags |= 1u << (c - flag_chars);
		f++;
	}
	if (*f == '*') {
		star_width(sp, va_arg(*ap, int));
		f++;
	} else {
		sp->width = parse_int(&f);
	}
	sp->prec = -1;
	if (*f == '.') {
		f++;
		if (*f == '*') {
			int p = va_arg(*ap, int);

			sp->prec = p < 0 ? -1 : p < FMT_MAX_FIELD ? p : FMT_MAX_FIELD;
			f++;
		} else {
			sp->prec = parse_int(&f);
		}
	}
	return parse_length(f, sp);
}

static int64_t fetch_signed(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:	return (signed char)va_arg(*ap, int);
	case LEN_H:	return (short)va_arg(*ap, int);
	case LEN_L:	return va_arg(*ap, long);
	case LEN_LL:	return va_arg(*ap, long long);
	case LEN_Z:	return (ptrdiff_t)va_arg(*ap, size_t);
	default:	return va_arg(*ap, int);
	}
}

static uint64_t fetch_unsigned(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:	return (unsigned char)va_arg(*ap, unsigned);
	case LEN_H:	return (unsigned short)va_arg(*ap, unsigned);
	case LEN_L:	return va_arg(*ap, unsigned long);
	case LEN_LL:	return va_arg(*ap, unsigned long long);
	case LEN_Z:	return va_arg(*ap, size_t);
	default:	return va_arg(*ap, unsigned);
	}
}

/* Writes the digits of v into buf, least significant first; returns how
 * many (none for zero: precision decides whether a "0" appears). */
static int to_digits(uint64_t v, unsigned base, int upper, char *buf)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	while (v) {
		buf[n++] = set[v % base];
		v /= base;
	}
	return n;
}

/* The common tail of every integer conversion: padding, prefix (sign or
 * 0x), zeros to the precision, then the digits. */
static void emit_number(struct fmt_out *o, const struct fmt_spec *sp,
	const char *prefix, const char *digits, int ndigits, int min_digits)
{
	int plen = (int)strlen(prefix);
	int total = min_digits > ndigits ? min_digits : ndigits;
	int pad = sp->width - plen - total;
	int zero_pad = (sp->flags & FMT_ZERO) && !(sp->flags & FMT_LEFT) &&
		sp->prec < 0;

	if (!(sp->flags & FMT_LEFT) && !zero_pad)
		out_repeat(o, ' ', pad);
	out_chars(o, prefix, (size_t)plen);
	if (zero_pad)
		out_repeat(o, '0', pad);
	out_repeat(o, '0', total - ndigits);
	while (ndigits > 0)
		out_char(o, digits[--ndigits]);
	if (sp->flags & FMT_LEFT)
		out_repeat(o, ' ', pad);
}

static void format_signed(struct fmt_out *o, const struct fmt_spec *sp,
	int64_t v)
{
	char digits[24];
	const char *prefix = "";
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	if (v < 0)
		prefix = "-";
	else if (sp->flags & FMT_PLUS)
		prefix = "+";
	else if (sp->flags & FMT_SPACE)
		prefix = " ";
	emit_number(o, sp, prefix, digits, to_digits(mag, 10, 0, digits),
		sp->prec < 0 ? 1 : sp->prec);
}

static void format_unsigned(struct fmt_out *o, const struct fmt_spec *sp,
	uint64_t v, char conv)
{
	char digits[24];
	unsigned base = conv == 'o' ? 8 : conv == 'u' ? 10 : 16;
	int n = to_digits(v, base, conv == 'X', digits);
	int min_digits = sp->prec < 0 ? 1 : sp->prec;
	const char *prefix = "";

	if ((sp->flags & FMT_ALT) && base == 16 && v != 0)
		prefix = conv == 'X' ? "0X" : "0x";
	/* '#' with %o: the first digit must be a zero. */
	if ((sp->flags & FMT_ALT) && base == 8 && min_digits <= n)
		min_digits = n + 1;
	emit_number(o, sp, prefix, digits, n, min_digits);
}

/* %p: always 0x and at least eight hex digits, whatever the flags. */
static void format_pointer(struct fmt_out *o, const struct fmt_spec *sp,
	const void *p)
{
	struct fmt_spec ps = { sp->flags & FMT_LEFT, sp->width, -1, LEN_INT };
	char digits[24];

	emit_number(o, &ps, "0x", digits,
		to_digits((uintptr_t)p, 16, 0, digits), 8);
}

static void format_string(struct fmt_out *o, const struct fmt_spec *sp,
	const char *s)
{
	size_t n;

	if (s == NULL)
		s = "(null)";
	n = sp->prec < 0 ? strlen(s) : strnlen(s, (size_t)sp->prec);
	if (!(sp->flags & FMT_LEFT))
		out_repeat(o, ' ', sp->width - (int)n);
	out_chars(o, s, n);
	if (sp->flags & FMT_LEFT)
		out_repeat(o, ' ', sp->width - (int)n);
}

static void format_char(struct fmt_out *o, const struct fmt_spec *sp, char c)
{
	if (!(sp->flags & FMT_LEFT))
		out_repeat(o, ' ', sp->width - 1);
	out_char(o, c);
	if (sp->flags & FMT_LEFT)
		out_repeat(o, ' ', sp->width - 1);
}

/* One conversion; returns false when conv is the format's end. */
static int convert(struct fmt_out *o, const struct fmt_spec *sp, char conv,
	va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i':
		format_signed(o, sp, fetch_signed(ap, sp->len));
		return 1;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		format_unsigned(o, sp, fetch_unsigned(ap, sp->len), conv);
		return 1;
	case 'p':
		format_pointer(o, sp, va_arg(*ap, const void *));
		return 1;
	case 's':
		format_string(o, sp, va_arg(*ap, const char *));
		return 1;
	case 'c':
		format_char(o, sp, (char)va_arg(*ap, int));
		return 1;
	case '%':
		out_char(o, '%');
		return 1;
	case '\0':
		out_char(o, '%');
		return 0;
	default:
		/* Unknown: show it as written rather than guess. */
		out_char(o, '%');
		out_char(o, conv);
		return 1;
	}
}

int kvformat(void (*put)(char c, void *arg), void *arg, const char *fmt,
	va_list ap)
{
	struct fmt_out o = { put, arg, 0 };
	struct fmt_spec sp;
	va_list aq;

	/* A copy, so helpers can take its address (va_list may be an array). */
	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &aq);
		if (!convert(&o, &sp, *fmt, &aq))
			break;
		fmt++;
	}
	va_end(aq);
	return o.count;
}

struct fmt_buf {
	char *buf;
	size_t size;
	size_t pos;	/* characters produced so far, stored or not */
};

static void buf_put(char c, void *arg)
{
	struct fmt_buf *b = arg;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = { buf, size, 0 };
	int n = kvformat(buf_put, &b, fmt, ap);

	if (size > 0)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
