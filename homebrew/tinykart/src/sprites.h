#ifndef SPRITES_H
#define SPRITES_H
void sprites_hide(void);
/* 16x16 kart with its top-left corner at (x, y). */
void sprite_kart(unsigned char x, unsigned char y, unsigned char heading);
#endif
