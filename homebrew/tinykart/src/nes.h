/* Hardware-facing declarations: joypad bits and the assembly helpers. */
#ifndef NES_H
#define NES_H

#define BTN_A      0x80
#define BTN_B      0x40
#define BTN_SELECT 0x20
#define BTN_START  0x10
#define BTN_UP     0x08
#define BTN_DOWN   0x04
#define BTN_LEFT   0x02
#define BTN_RIGHT  0x01

/* ppu.s */
extern unsigned char nmi_count;
extern unsigned char vbuf[];
extern unsigned char vbuf_len;
extern unsigned char oam[256];
extern const unsigned char *ppu_ptr;
#pragma zpsym ("nmi_count")
#pragma zpsym ("ppu_ptr")
void wait_frame(void);
unsigned char read_pad(void);
void ppu_off(void);
void ppu_on(void);
void ppu_load_screen(void);   /* 1024 bytes at ppu_ptr -> nametable 0 */
void ppu_load_palette(void);  /* 32 bytes at ppu_ptr -> palette */
void __fastcall__ ppu_fill_screen(unsigned char tile);

/* math.s */
extern unsigned char probe_x, probe_y;
extern const unsigned char *map_ptr, *sect_ptr;
extern int mul_a;
extern signed char mul_b;
#pragma zpsym ("probe_x")
#pragma zpsym ("probe_y")
#pragma zpsym ("map_ptr")
#pragma zpsym ("sect_ptr")
#pragma zpsym ("mul_a")
#pragma zpsym ("mul_b")
unsigned char surface_at(void);
unsigned char sector_at(void);
unsigned char box_solid(void);
int mul_trig(void);

/* generated data (the gen directory) */
extern const unsigned char *const trk_map[3];
extern const unsigned char *const trk_sect[3];
extern const unsigned char trk_start_x[3], trk_start_y[3], trk_sectors[3];
extern const signed char sin64[64];
extern const unsigned char title_map[];

#endif
