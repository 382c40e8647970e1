/* SPDX-License-Identifier: GPL-2.0 */
/*
 * textline.h - the lines of a text file the admin wrote (a batch file,
 * the desired-state file), read with bounds
 *
 * A line with a NUL byte or longer than TEXT_LINE_MAX - 1 bytes is not
 * text: it is refused as a whole, never cut short and read as something
 * else, and memory stays bounded whatever the file (/dev/zero). A read
 * that fails, memory included, is an error, never an end of file.
 */
#ifndef VGPU_NL_HOST_TEXTLINE_H
#define VGPU_NL_HOST_TEXTLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TEXT_LINE_MAX	65536	/* bytes, with the NUL that ends it */

struct text_line {
	char *buf;		/* the line, without its newline, NUL-ended */
	size_t len, cap;
	bool rest;		/* the last line was refused: skip what is left */
};

/*
 * The next line of @f into @l: 1, 0 at the end of the file, -EINVAL with
 * *@why for a line that is not text (read no further: the next call, if
 * the caller goes on, skips its rest), or the read's -errno (-ENOMEM).
 * text_line_free() when done.
 */
int text_line_read(FILE *f, struct text_line *l, const char **why);
void text_line_free(struct text_line *l);

#endif
