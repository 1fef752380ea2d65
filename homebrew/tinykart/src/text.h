#ifndef TEXT_H
#define TEXT_H
/* Nametable 0 address of tile (col, row). */
#define NT_ADDR(col, row) (0x2000u + ((unsigned int)(row) << 5) + (col))

/* Queue bytes for the NMI to copy to VRAM this frame (rendering on). */
void vbuf_put(unsigned int addr, const char *s, unsigned char len);
/* Write a string straight to VRAM (rendering off only). */
void ppu_text(unsigned char col, unsigned char row, const char *s);
/* "M:SS.CC" (7 chars, no terminator) for a frame count at 60 frames/s. */
void fmt_time(unsigned int frames, char *out);
/* Right-aligned decimal, `width` chars, no terminator. */
void fmt_uint(unsigned int v, char *out, unsigned char width);

extern const unsigned char centis[60];
extern const char *const track_names[3];
#endif
