/*
 * unit: common includes for the cmocka unit tests.
 */
#ifndef SG_UNIT_H
#define SG_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#endif
