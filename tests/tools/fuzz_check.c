// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_check.c - what genl-fuzz holds against an answer (fuzz.h)
 *
 * A module error without a text. The project's rule: every refusal says
 * why (extended ack). Errors the generic netlink core makes before the
 * module sees a request carry no text on some kernels and are not the
 * module's: an unknown command or one without a dump handler
 * (-EOPNOTSUPP), a missing CAP_NET_ADMIN (-EPERM), a header too short for
 * a genl header (-EINVAL), a dump while the module is being unloaded
 * (-EPROTONOSUPPORT). Policy refusals always carry the core's text.
 * So an error without a text on a known command that the caller may send,
 * in a header that holds together, came from the module.
 *
 * A reply naming what the request did not. Every handle (a PCI address)
 * or UUID in an extack text, and the handles in a do-request's reply,
 * must be one the request named (any spelling, any case), or the PF or a
 * VF of one it named (errors about a VF name its PF; about a PF, its VFs
 * in use). Anything else is another request's text or object: the
 * cross-talk of a shared message buffer. A filtered dump must only list
 * the filter's objects.
 */
#define _GNU_SOURCE	/* memmem() */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/genetlink.h>

#include "fuzz.h"

static void lower(char *dst, const void *src, size_t len)
{
	const unsigned char *s = src;
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = tolower(s[i]);
	dst[len] = '\0';
}

static bool in_blob(const struct fuzz_req *r, const char *name)
{
	static char blob[sizeof(r->blob) + 1];
	char n[FUZZ_NAME_MAX];

	lower(blob, r->blob, r->bloblen);
	lower(n, name, strlen(name));
	return memmem(blob, r->bloblen, n, strlen(n)) != NULL;
}

static const struct fuzz_pci *pci_of(const struct fuzz_world *w,
				     const char *bdf)
{
	int i;

	for (i = 0; i < w->npci; i++)
		if (!strcasecmp(w->pci[i].bdf, bdf))
			return &w->pci[i];
	return NULL;
}

static bool is_uuid(const char *s)
{
	int i;

	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

/* "DDDD:BB:DD.F" at @s. */
static bool is_bdf(const char *s)
{
	static const char form[] = "xxxx:xx:xx.x";
	int i;

	for (i = 0; form[i]; i++) {
		if (form[i] == 'x' ? !isxdigit((unsigned char)s[i]) :
		    s[i] != form[i])
			return false;
	}
	return s[11] >= '0' && s[11] <= '7';
}

bool fuzz_name_allowed(const struct fuzz_world *w, const struct fuzz_req *r,
		       const char *name)
{
	const struct fuzz_pci *p;
	int i;

	if (!strncmp(name, "pci/", 4))
		name += 4;
	if (in_blob(r, name))
		return true;
	if (!is_bdf(name))
		return false;
	/* Its PF, named in the request? */
	p = pci_of(w, name);
	if (p && p->pf[0] && in_blob(r, p->pf))
		return true;
	/* One of its VFs, named in the request? */
	for (i = 0; i < w->npci; i++)
		if (!strcasecmp(w->pci[i].pf, name) && in_blob(r, w->pci[i].bdf))
			return true;
	return false;
}

bool fuzz_text_foreign(const struct fuzz_world *w, const struct fuzz_req *r,
		       const char *text, char *found, size_t len)
{
	char tok[40];
	size_t i, n = strlen(text);

	for (i = 0; i < n; i++) {
		if (n - i >= 36 && is_uuid(text + i)) {
			snprintf(tok, sizeof(tok), "%.36s", text + i);
			if (!fuzz_name_allowed(w, r, tok))
				goto foreign;
			i += 35;
		} else if (n - i >= 12 && is_bdf(text + i)) {
			snprintf(tok, sizeof(tok), "%.12s", text + i);
			if (!fuzz_name_allowed(w, r, tok))
				goto foreign;
			i += 11;
		}
	}
	return false;
foreign:
	snprintf(found, len, "%s", tok);
	return true;
}

/* The BDF of handle @h ("pci/BDF" or a plain BDF), or NULL. */
static const char *bdf_of(const char *h)
{
	if (!strncmp(h, "pci/", 4))
		h += 4;
	return is_bdf(h) ? h : NULL;
}

/* A data message of an answer: a do-reply or a part of a dump. */
void fuzz_check_data(const struct nlmsghdr *nlh, void *arg)
{
	struct fuzz_check_ctx *c = arg;
	const struct fuzz_req *r = c->req;
	const struct nlattr *a;
	const char *s, *b;
	int rem;

	fuzz_attr_for_each(a, (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
			   nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, rem) {
		s = fuzz_attr_str(a);
		if (!s)
			continue;
		if (r->dump) {
			/* A filtered dump lists the filter's objects only. */
			if (!r->has_filter || !r->len_ok)
				continue;
			if (r->cmd == VGPU_CMD_MDEV_GET &&
			    a->nla_type == VGPU_A_MDEV_PARENT &&
			    strcmp(s, r->filter))
				goto bad_filter;
			if (!r->filter_real[0])
				continue;
			if ((r->cmd == VGPU_CMD_VF_GET && a->nla_type == VGPU_A_VF_PF) ||
			    (r->cmd == VGPU_CMD_TYPE_GET && a->nla_type == VGPU_A_DEV_HANDLE)) {
				if (strcasecmp(s, r->filter_real))
					goto bad_filter;
			}
			continue;
		}
		switch (a->nla_type) {
		case VGPU_A_MDEV_PARENT:
			/* MDEV_GET by UUID answers with the mdev's parent. */
			if (r->cmd == VGPU_CMD_MDEV_GET)
				break;
			/* fall through */
		case VGPU_A_DEV_HANDLE:
		case VGPU_A_VF_HANDLE:
		case VGPU_A_VF_PF:
			b = bdf_of(s);
			if (b && !fuzz_name_allowed(c->w, r, b))
				goto foreign;
			break;
		case VGPU_A_MDEV_UUID:
			/*
			 * MDEV_ADD without a UUID answers with a new one; so does
			 * one whose header's length cuts the UUID off.
			 */
			if (r->has_uuid && r->len_ok &&
			    !fuzz_name_allowed(c->w, r, s))
				goto foreign;
			break;
		}
	}
	return;
foreign:
	c->v->foreign = true;
	snprintf(c->v->foreign_name, sizeof(c->v->foreign_name), "%s", s);
	return;
bad_filter:
	c->v->bad_filter = true;
	snprintf(c->v->foreign_name, sizeof(c->v->foreign_name), "%s", s);
}

/* Would the kernel hand this request to the module at all? */
static bool reaches_module(const struct fuzz_check_ctx *c)
{
	const struct fuzz_req *r = c->req;

	if (!fuzz_cmd_admin(r->cmd) && !fuzz_cmd_has_dump(r->cmd) &&
	    r->cmd != VGPU_CMD_VERSION_GET)
		return false;		/* unknown, or EVENT: no handler */
	if (!r->len_ok || !r->hdr_ok || !(r->flags & NLM_F_REQUEST))
		return false;
	if (r->admin && c->unpriv)
		return false;		/* -EPERM from the core */
	if (r->dump && !fuzz_cmd_has_dump(r->cmd))
		return false;		/* -EOPNOTSUPP from the core */
	return true;
}

void fuzz_check_answer(struct fuzz_check_ctx *c, const struct fuzz_answer *a)
{
	const struct fuzz_req *r = c->req;

	/*
	 * netlink_dump_start() answers -EPROTONOSUPPORT when it cannot take
	 * a reference on the family's module: vgpu_nl is being unloaded.
	 */
	if (r->dump && a->error == -EPROTONOSUPPORT && !a->has_text)
		return;
	if (a->error && !a->has_text && reaches_module(c))
		c->v->notext = true;
	if (a->has_text && !c->v->foreign &&
	    fuzz_text_foreign(c->w, r, a->text, c->v->foreign_name,
			      sizeof(c->v->foreign_name)))
		c->v->foreign = true;
	/*
	 * An unprivileged state change: a well-formed admin request that was
	 * not refused. Errors are always answered, so no answer is success.
	 */
	if (c->unpriv && r->admin && r->len_ok && r->hdr_ok &&
	    (r->flags & NLM_F_REQUEST) && !a->timeout &&
	    (!a->done || a->error == 0))
		c->v->unpriv_ok = true;
}
