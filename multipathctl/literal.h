/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The literal strings a multipath.conf regular expression (POSIX ERE, not
 * anchored, case-sensitive) stands for, where it is one of the simple shapes
 * that mpio's vendor/product matching (an exact vendor, a product prefix)
 * can carry over:
 *
 *   LIT, ^LIT           LIT anywhere, LIT at the start
 *   LIT$, ^LIT$         ... and the string ends there
 *   LIT.*  LITx*  LITx?  LIT[...]*  LIT.{0,3}
 *                       a tail that may match nothing, without '$', adds
 *                       nothing: these match where LIT does
 *   LITx+               LITx followed by a tail that may match nothing
 *   A|B  ^(A|B)  P(A|B)T
 *                       alternatives, at the top or in one group without a
 *                       group inside: each becomes its own literal
 *
 * LIT is made of ordinary characters and escaped ones (\. is '.'). Anything
 * else (a '.' or a bracket expression that must match a character, a nested
 * group, a back-reference, '\w' and the like, '+' or '{1,}' elsewhere, a
 * tail before '$') is refused with the reason and where it stands.
 */
#ifndef MULTIPATHCTL_LITERAL_H
#define MULTIPATHCTL_LITERAL_H

#include <stdbool.h>
#include <stddef.h>

#define LITERAL_TEXT_MAX 64	/* longer than any INQUIRY field */
#define LITERAL_ALTS_MAX 8

struct literal {
	char text[LITERAL_TEXT_MAX + 1];
	bool start;	/* '^': LIT is at the start of the string, not anywhere in it */
	bool end;	/* '$': the string ends after LIT */
};

/*
 * The alternatives re stands for, in order, in ret[0..max). Returns their
 * number (>= 1), or -EINVAL with the reason in errbuf ("'[' at offset 4 must
 * match a character: not a literal", "more than 8 alternatives").
 */
int literal_parse(const char *re, struct literal *ret, size_t max, char *errbuf, size_t errlen);

#endif
