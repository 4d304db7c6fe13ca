/*
 * unpack: container recognition and dispatch. Placeholder until the archives
 * work lands: recognises nothing, so every blob goes straight to detect/.
 */
#include "unpack/unpack.h"

int unpack_is_container(const unsigned char *data, size_t len)
{
	(void)data;
	(void)len;
	return 0;
}

int unpack_container(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
                     unsigned depth)
{
	(void)ctx;
	(void)path;
	(void)data;
	(void)len;
	(void)depth;
	return 0;
}
