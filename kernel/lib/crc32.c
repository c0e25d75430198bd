/*
 * CRC-32 (IEEE, reflected) for result records: the same value as zlib's
 * crc32() and Python's zlib.crc32(), four bits at a time from a 16-entry
 * table, which is small and plenty fast for serial-line records.
 */
#include "crc32.h"

/* crc32_nibble[i]: the CRC register after shifting the 4 bits of i out. */
static const uint32_t crc32_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t crc32_update(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;

	/* The register holds ~crc between calls, so calls chain. */
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
	}
	return ~crc;
}
