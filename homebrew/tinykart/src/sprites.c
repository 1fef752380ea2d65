/* OAM shadow layout: sprites 0-3 the 16x16 kart, 4-5 drift smoke. */
#include "nes.h"
#include "ram.h"
#include "sprites.h"

#define SPR_SMOKE 0x40

void sprites_hide(void)
{
    unsigned char i = 0;
    do { oam[i] = 0xFF; i += 4; } while (i);
}

void sprite_kart(unsigned char x, unsigned char y, unsigned char heading)
{
    unsigned char t = heading << 2;
    --y;                      /* sprites appear one line below their OAM y */
    oam[0] = y;      oam[1] = t;     oam[2] = 0; oam[3] = x;
    oam[4] = y;      oam[5] = t + 1; oam[6] = 0; oam[7] = x + 8;
    oam[8] = y + 8;  oam[9] = t + 2; oam[10] = 0; oam[11] = x;
    oam[12] = y + 8; oam[13] = t + 3; oam[14] = 0; oam[15] = x + 8;
}

void kart_draw(void)
{
    unsigned char dir, bx, by;
    signed char c, s;

    sprite_kart(X_PIXEL - 8, Y_PIXEL - 8, HEADING);
    if (!DRIFT) {
        oam[16] = 0xFF;
        oam[20] = 0xFF;
        return;
    }
    /* Two puffs at the rear wheels, alternating size every 4 frames. */
    dir = (unsigned char)(ANGLE_HI + 2) >> 2;
    c = sin64[(dir + 16) & 63] >> 4;
    s = sin64[dir & 63] >> 4;
    bx = X_PIXEL - 4 - c;
    by = Y_PIXEL - 5 - s;
    oam[16] = by + (c >> 1);  oam[17] = SPR_SMOKE + ((nmi_count >> 2) & 1);
    oam[18] = 1;              oam[19] = bx - (s >> 1);
    oam[20] = by - (c >> 1);  oam[21] = SPR_SMOKE + (((nmi_count >> 2) + 1) & 1);
    oam[22] = 1;              oam[23] = bx + (s >> 1);
}
