/* Text output: queued VRAM writes, direct writes and number formatting.
 * Font tiles sit at their ASCII codes, so strings are tile lists. */
#include "nes.h"
#include "text.h"

#define PPUADDR (*(volatile unsigned char *)0x2006)
#define PPUDATA (*(volatile unsigned char *)0x2007)

const char *const track_names[3] = { "OVAL", "S-BENDS", "HAIRPINS" };

/* Hundredths of a second for each frame of a second (frame * 100 / 60). */
const unsigned char centis[60] = {
     0,  1,  3,  5,  6,  8, 10, 11, 13, 15, 16, 18, 20, 21, 23, 25, 26, 28, 30, 31,
    33, 35, 36, 38, 40, 41, 43, 45, 46, 48, 50, 51, 53, 55, 56, 58, 60, 61, 63, 65,
    66, 68, 70, 71, 73, 75, 76, 78, 80, 81, 83, 85, 86, 88, 90, 91, 93, 95, 96, 98
};

void vbuf_put(unsigned int addr, const char *s, unsigned char len)
{
    unsigned char i = vbuf_len;
    unsigned char k;
    vbuf[i++] = (unsigned char)(addr >> 8);
    vbuf[i++] = (unsigned char)addr;
    vbuf[i++] = len;
    for (k = 0; k < len; ++k) vbuf[i++] = s[k];
    vbuf[i] = 0;
    vbuf_len = i;
}

void ppu_text(unsigned char col, unsigned char row, const char *s)
{
    unsigned int a = NT_ADDR(col, row);
    PPUADDR = (unsigned char)(a >> 8);
    PPUADDR = (unsigned char)a;
    while (*s) PPUDATA = *s++;
}

void fmt_uint(unsigned int v, char *out, unsigned char width)
{
    do {
        --width;
        out[width] = '0' + (unsigned char)(v % 10);
        v /= 10;
    } while (width && v);
    while (width) out[--width] = ' ';
}

void fmt_time(unsigned int frames, char *out)
{
    unsigned char min = (unsigned char)(frames / 3600);
    unsigned int rem = frames - (unsigned int)min * 3600;
    unsigned char sec = (unsigned char)(rem / 60);
    unsigned char cs = centis[(unsigned char)(rem - sec * 60)];
    if (min > 9) { min = 9; sec = 59; cs = 99; }
    out[0] = '0' + min;
    out[1] = ':';
    out[2] = '0' + sec / 10;
    out[3] = '0' + sec % 10;
    out[4] = '.';
    out[5] = '0' + cs / 10;
    out[6] = '0' + cs % 10;
}
