// SPDX-License-Identifier: GPL-2.0
/* Storage that kmod/vgpu_compat.h needs on some kernels. */
#include "vgpu_compat.h"

#ifndef VGPU_HAVE_NL_SET_ERR_MSG_FMT
char vgpu_compat_errmsg[VGPU_ERRMSG_LEN];
#endif
