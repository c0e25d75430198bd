/* The legacy 8259 interrupt controllers, which Cairn does not use. */
#ifndef CAIRN_PIC_H
#define CAIRN_PIC_H

/* Moves both 8259s off the exception vectors (to VEC_PIC_BASE) and masks
 * every line, so they can deliver nothing but the odd spurious IRQ. */
void pic_disable(void);

#endif /* CAIRN_PIC_H */
