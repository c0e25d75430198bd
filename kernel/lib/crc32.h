/*
 * CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320): the checksum on
 * every result record, identical to zlib's crc32 and Python's zlib.crc32.
 */
#ifndef CAIRN_CRC32_H
#define CAIRN_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC: crc32_update(0, p, n) is the CRC of p[0..n). */
uint32_t crc32_update(uint32_t crc, const void *data, size_t len);

#endif /* CAIRN_CRC32_H */
