/*
 * tf_cli_credentials: first landing placeholder (filled in by the next commit).
 */
#include "detect/detect_int.h"

int tf_cli_credentials_detect(struct blob *b)
{
	(void)b;
	return 0;
}
