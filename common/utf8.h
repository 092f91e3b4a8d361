/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * UTF-8, for text that must be valid: D-Bus strings, JSON. Not libmp's API.
 */
#ifndef MPIO_UTF8_H
#define MPIO_UTF8_H

#include <stddef.h>

/*
 * Length of the valid multi-byte UTF-8 sequence at s (2..4: no overlong
 * form, no UTF-16 surrogate, nothing above U+10FFFF), or 0 if s does not
 * begin one (ASCII included).
 */
size_t mp_utf8_seq_len(const unsigned char *s);

/*
 * A new copy of s that is valid UTF-8: every byte that is neither ASCII nor
 * part of a valid sequence is written "\xNN" (a file name in another
 * encoding stays readable). NULL if out of memory.
 */
char *mp_utf8_escape(const char *s);

#endif
