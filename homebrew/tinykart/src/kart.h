#ifndef KART_H
#define KART_H
void kart_reset(unsigned char x, unsigned char y);
/* One frame of physics. racing = 0 after the finish: no hits are counted. */
void kart_update(unsigned char pad, unsigned char racing);
void kart_draw(void);
#endif
