/*
 * tokens: first landing placeholder (filled in by the next commit).
 */
#include "detect/detect_int.h"

int tokens_detect(struct blob *b)
{
	(void)b;
	return 0;
}
