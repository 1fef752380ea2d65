/* The ROM's RAM map: a block at a fixed RDRAM address that tests and integrations read. Keep it in step with
 * homebrew/n64/README.md; offsets never move, new fields go at the end. Values are big-endian like all of RDRAM. */
#ifndef N64TEST_RAM_H
#define N64TEST_RAM_H

#include <stdint.h>

#define TEST_MAGIC 0x4E363454u /* "N64T": written once main() runs */

struct test_ram {
  uint32_t magic;         /* 0x80010000 */
  uint32_t frame_count;   /* 0x80010004 VI interrupts seen */
  uint32_t loop_count;    /* 0x80010008 main-loop passes (one per VI after boot) */
  uint32_t pad_reads;     /* 0x8001000C controller reads that answered without error */
  uint16_t buttons;       /* 0x80010010 joybus button word of controller 1 */
  int8_t stick_x;         /* 0x80010012 analog stick, right is positive */
  int8_t stick_y;         /* 0x80010013 analog stick, up is positive */
  uint8_t pad_status;     /* 0x80010014 error bits of the last read (0x80 no controller), 0 when fine */
  uint8_t reserved0;      /* 0x80010015 */
  uint16_t reserved1;     /* 0x80010016 */
  int16_t cursor_x;       /* 0x80010018 left edge of the square, pixels */
  int16_t cursor_y;       /* 0x8001001A top edge of the square, pixels */
  uint32_t rdp_lists;     /* 0x8001001C RDP command lists sent */
  uint32_t dp_status;     /* 0x80010020 DPC_STATUS after the last list */
  uint32_t a_presses;     /* 0x80010024 times A went from up to down */
  uint32_t fb_origin;     /* 0x80010028 physical address of the framebuffer the VI shows */
  uint32_t rdp_timeouts;  /* 0x8001002C RDP lists whose DP interrupt did not come in time */
};

#define TEST_RAM ((volatile struct test_ram *)0x80010000u)

#endif
