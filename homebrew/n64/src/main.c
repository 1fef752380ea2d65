/* The N64 test ROM: each VI interrupt it reads controller 1, moves a square with the d-pad and the stick, draws
 * it into a 320x240 RGBA5551 framebuffer with the CPU and has the RDP fill a strip at the bottom. Everything a
 * test needs to check lands in the block described in ram.h. */
#include "hw.h"
#include "ram.h"

#define SCREEN_W 320
#define SCREEN_H 240
#define SQUARE 16
#define STRIP_TOP 224 /* rows STRIP_TOP..SCREEN_H-1 belong to the RDP */
#define FB_PHYS 0x00100000u

#define RGBA5551(r, g, b) ((uint16_t)(((r) << 11) | ((g) << 6) | ((b) << 1) | 1))
#define COLOR_BACKGROUND RGBA5551(2, 4, 10)
#define COLOR_BORDER RGBA5551(31, 31, 31)
#define COLOR_SQUARE RGBA5551(31, 20, 0)
#define COLOR_SQUARE_A RGBA5551(0, 31, 8)
#define COLOR_BAR RGBA5551(31, 0, 16)

/* joybus button bits of controller 1 */
#define BTN_A 0x8000u
#define BTN_DUP 0x0800u
#define BTN_DDOWN 0x0400u
#define BTN_DLEFT 0x0200u
#define BTN_DRIGHT 0x0100u

static volatile uint16_t *const framebuffer = (volatile uint16_t *)UNCACHED(FB_PHYS);

/* SI DMA needs 8-byte alignment; the CPU reaches these buffers uncached so DMA and CPU agree on real hardware */
static uint64_t pif_block_storage[8];
static uint64_t rdp_list_storage[8];

static void fill_rect(int x, int y, int w, int h, uint16_t color) {
  for (int row = y; row < y + h; row++) {
    volatile uint16_t *line = framebuffer + row * SCREEN_W;
    for (int col = x; col < x + w; col++) line[col] = color;
  }
}

static void video_init(void) {
  fill_rect(0, 0, SCREEN_W, STRIP_TOP, COLOR_BACKGROUND);
  fill_rect(0, 0, SCREEN_W, 2, COLOR_BORDER);
  fill_rect(0, 0, 2, STRIP_TOP, COLOR_BORDER);
  fill_rect(SCREEN_W - 2, 0, 2, STRIP_TOP, COLOR_BORDER);
  fill_rect(0, STRIP_TOP, SCREEN_W, SCREEN_H - STRIP_TOP, 0);

  /* NTSC, 320x240, 16-bit, non-interlaced: the usual timing values */
  VI_STATUS = 0x00003202u; /* pixel advance 3, resample AA, 16-bit colour */
  VI_ORIGIN = FB_PHYS;
  VI_WIDTH = SCREEN_W;
  VI_V_INTR = 2;
  VI_BURST = 0x03E52239u;
  VI_V_SYNC = 0x0000020Du;
  VI_H_SYNC = 0x00000C15u;
  VI_LEAP = 0x0C150C15u;
  VI_H_START = 0x006C02ECu;
  VI_V_START = 0x002501FFu;
  VI_V_BURST = 0x000E0204u;
  VI_X_SCALE = 0x00000200u; /* 320 / 640 in 2.10 fixed point */
  VI_Y_SCALE = 0x00000400u;
  TEST_RAM->fb_origin = FB_PHYS;
}

static void si_wait(void) {
  for (uint32_t spins = 0; spins < 1000000u && (SI_STATUS & SI_STATUS_BUSY); spins++) {
  }
  SI_STATUS = 0; /* acknowledge the SI interrupt */
}

/* One joybus "read buttons" command on channel 0, answered by the PIF in place. */
static void read_controller(void) {
  volatile uint8_t *block = (volatile uint8_t *)UNCACHED(PHYS(pif_block_storage));
  for (int i = 0; i < 64; i++) block[i] = 0;
  block[0] = 0x01; /* bytes sent */
  block[1] = 0x04; /* bytes expected back */
  block[2] = 0x01; /* command: read buttons and stick */
  block[3] = block[4] = block[5] = block[6] = 0xFF;
  block[7] = 0xFE; /* end of commands */
  block[63] = 0x01; /* ask the PIF to run the joybus commands */

  si_wait();
  SI_DRAM_ADDR = PHYS(pif_block_storage);
  SI_PIF_ADDR_WR64B = PIF_RAM_PHYS;
  si_wait();
  SI_DRAM_ADDR = PHYS(pif_block_storage);
  SI_PIF_ADDR_RD64B = PIF_RAM_PHYS;
  si_wait();

  uint8_t status = block[1] & 0xC0;
  TEST_RAM->pad_status = status;
  if (status != 0) {
    TEST_RAM->buttons = 0;
    TEST_RAM->stick_x = 0;
    TEST_RAM->stick_y = 0;
    return;
  }
  TEST_RAM->buttons = (uint16_t)((block[3] << 8) | block[4]);
  TEST_RAM->stick_x = (int8_t)block[5];
  TEST_RAM->stick_y = (int8_t)block[6];
  TEST_RAM->pad_reads++;
}

static int clamp(int value, int low, int high) { return value < low ? low : value > high ? high : value; }

static void move_square(uint16_t previous_buttons) {
  uint16_t buttons = TEST_RAM->buttons;
  int x = TEST_RAM->cursor_x;
  int y = TEST_RAM->cursor_y;
  if (buttons & BTN_DLEFT) x -= 2;
  if (buttons & BTN_DRIGHT) x += 2;
  if (buttons & BTN_DUP) y -= 2;
  if (buttons & BTN_DDOWN) y += 2;
  x += TEST_RAM->stick_x / 16; /* full tilt (about 80) moves 5 pixels a frame */
  y -= TEST_RAM->stick_y / 16;
  if ((buttons & BTN_A) && !(previous_buttons & BTN_A)) TEST_RAM->a_presses++;

  fill_rect(TEST_RAM->cursor_x, TEST_RAM->cursor_y, SQUARE, SQUARE, COLOR_BACKGROUND);
  x = clamp(x, 2, SCREEN_W - 2 - SQUARE);
  y = clamp(y, 2, STRIP_TOP - SQUARE);
  TEST_RAM->cursor_x = (int16_t)x;
  TEST_RAM->cursor_y = (int16_t)y;
  fill_rect(x, y, SQUARE, SQUARE, (buttons & BTN_A) ? COLOR_SQUARE_A : COLOR_SQUARE);
}

/* A bar along the top border whose length follows the frame count, so the picture changes with no input. */
static void draw_frame_bar(uint32_t frame) {
  int length = (int)(frame % SCREEN_W);
  if (length == 0) fill_rect(0, 0, SCREEN_W, 2, COLOR_BORDER);
  else fill_rect(length - 1, 0, 1, 2, COLOR_BAR);
}

/* Fill the bottom strip through the RDP in fill mode; its colour cycles with the frame count. */
static void rdp_fill_strip(uint32_t frame) {
  volatile uint32_t *list = (volatile uint32_t *)UNCACHED(PHYS(rdp_list_storage));
  uint16_t color = RGBA5551(frame & 31, 31 - (frame & 31), 8);
  list[0] = 0x3F100000u | (SCREEN_W - 1); /* set color image: RGBA, 16-bit, width */
  list[1] = FB_PHYS;
  list[2] = 0x2D000000u; /* set scissor: whole screen, 10.2 fixed point */
  list[3] = ((uint32_t)(SCREEN_W << 2) << 12) | (SCREEN_H << 2);
  list[4] = 0x2F300000u; /* set other modes: fill cycle */
  list[5] = 0;
  list[6] = 0x37000000u; /* set fill color: two 16-bit pixels */
  list[7] = ((uint32_t)color << 16) | color;
  list[8] = 0x36000000u | ((uint32_t)((SCREEN_W - 1) << 2) << 12) | ((SCREEN_H - 1) << 2); /* fill rectangle */
  list[9] = (uint32_t)(STRIP_TOP << 2);
  list[10] = 0x29000000u; /* sync full: raises the DP interrupt when done */
  list[11] = 0;

  for (uint32_t spins = 0; spins < 100000u && (DPC_STATUS & (DPC_STATUS_START_VALID | DPC_STATUS_END_VALID));
       spins++) {
  }
  DPC_STATUS = DPC_CLR_XBUS; /* commands come from RDRAM */
  DPC_START = PHYS(rdp_list_storage);
  DPC_END = PHYS(rdp_list_storage) + 12 * 4;
  uint32_t spins = 0;
  while (spins < 100000u && !(MI_INTR & MI_INTR_DP)) spins++;
  if (spins == 100000u) TEST_RAM->rdp_timeouts++;
  MI_MODE = MI_MODE_CLR_DP;
  TEST_RAM->dp_status = DPC_STATUS;
  TEST_RAM->rdp_lists++;
}

void vi_wait(void);         /* vi-wait.s: idles until the next VI interrupt */
void vi_wait_install(void); /* vi-wait.s: VI interrupt handler on, every other interrupt masked */

void test_main(void) {
  volatile uint8_t *bytes = (volatile uint8_t *)TEST_RAM;
  for (unsigned i = 0; i < sizeof(struct test_ram); i++) bytes[i] = 0;
  TEST_RAM->cursor_x = (SCREEN_W - SQUARE) / 2;
  TEST_RAM->cursor_y = (STRIP_TOP - SQUARE) / 2;
  video_init();
  vi_wait_install();
  TEST_RAM->magic = TEST_MAGIC;

  for (;;) {
    vi_wait();
    TEST_RAM->frame_count++;
    uint16_t previous_buttons = TEST_RAM->buttons;
    read_controller();
    move_square(previous_buttons);
    draw_frame_bar(TEST_RAM->frame_count);
    rdp_fill_strip(TEST_RAM->frame_count);
    TEST_RAM->loop_count++;
  }
}
