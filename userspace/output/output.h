/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.h - the one print path for text and JSON (iproute2 json_print style)
 *
 * Each print call names the JSON key and the text format of one value, so
 * the table and -j cannot drift apart:
 *
 *	print_uint(PRINT_ANY, "vendor", " vendor %04x", vendor);
 *
 * prints " vendor 8086" as text and adds "vendor": 32902 to the current JSON
 * object. PRINT_FP is text only (labels, line breaks), PRINT_JSON is JSON
 * only (values the text shows another way). A document runs from
 * output_begin() to output_end(): in JSON mode it is one top-level object,
 * written when the document ends, so stdout carries exactly one JSON value.
 */
#ifndef VGPU_NL_OUTPUT_H
#define VGPU_NL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP	= 1,
	PRINT_JSON	= 2,
	PRINT_ANY	= PRINT_FP | PRINT_JSON,
};

/* Sets the mode for the documents to come (the files stay as they are). */
void output_setup(bool json, bool pretty);
void output_set_pretty(bool pretty);
/* JSON on or off, keeping -p: for --format json. */
void output_set_json(bool json);

/* Where output and errors go; NULL means stdout and stderr (the tests swap). */
void output_set_files(FILE *out, FILE *err);
FILE *output_out(void);
FILE *output_err(void);

/* Whether documents are JSON (-j): for output that differs in kind. */
bool output_is_json(void);

void output_begin(void);
/* Writes the document; 0, or a negative errno if it could not be written. */
int output_end(void);

/* @key names the member in an object and is ignored inside an array. */
void open_object(const char *key);
void close_object(void);
void open_array(const char *key);
void close_array(void);

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value);
/* JSON true/false; text "true"/"false" ... */
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value);
/* ... or text "on"/"off", for switches. */
void print_on_off(enum output_type t, const char *key, const char *fmt,
		  bool value);
/* Text only: ends the current line. */
void print_nl(void);

/*
 * In a batch, the place of the line being run ("FILE:LINE"): every
 * "Error: " and "Warning: " line names it first. NULL: none. Borrowed.
 */
void output_set_where(const char *where);

/* "Error: ..." and "Warning: ..." lines on the error stream. */
__attribute__((format(printf, 1, 2))) void pr_err(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void pr_warn(const char *fmt, ...);
/*
 * Starts an "Error: " line (with the place, in a batch) and returns the
 * error stream, for a message built in several calls; end it with '\n'.
 */
FILE *pr_err_start(void);
/*
 * A line about progress ("waiting for ...") on the error stream, so that
 * stdout keeps only what scripts read (a UUID, one JSON document).
 */
__attribute__((format(printf, 1, 2))) void pr_info(const char *fmt, ...);

#endif
