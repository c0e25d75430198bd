/* The COM1 16550 UART: the console and the channel for result records. */
#ifndef CAIRN_SERIAL_H
#define CAIRN_SERIAL_H

void serial_init(void);
void serial_write(const char *s, unsigned n);

#endif /* CAIRN_SERIAL_H */
