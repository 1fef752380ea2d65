/* Results screen after the third lap: lap times, total, wall hits. */
#include "nes.h"
#include "ram.h"
#include "screens.h"
#include "sprites.h"
#include "text.h"
#include "tuning.h"

static char line[16];

static void time_line(unsigned char row, const char *label, unsigned int frames)
{
    unsigned char i;
    for (i = 0; label[i]; ++i) line[i] = label[i];
    while (i < 8) line[i++] = ' ';
    fmt_time(frames, line + 8);
    line[15] = 0;
    ppu_text(8, row, line);
}

void results_enter(void)
{
    unsigned char i;
    char lap_label[6];          /* runtime-filled: no initialised RAM data */

    ppu_off();
    ppu_fill_screen(' ');
    ppu_ptr = results_pal;
    ppu_load_palette();
    ppu_text(12, 5, "FINISH!");
    ppu_text(8, 8, "TRACK");
    ppu_text(16, 8, track_names[TRACK]);
    lap_label[0] = 'L'; lap_label[1] = 'A'; lap_label[2] = 'P';
    lap_label[3] = ' '; lap_label[5] = 0;
    for (i = 0; i < LAPS; ++i) {
        lap_label[4] = '1' + i;
        time_line(11 + 2 * i, lap_label, LAP_FRAMES(i));
    }
    time_line(18, "TOTAL", RACE_TIMER);
    for (i = 0; i < 9; ++i) line[i] = "WALL HITS"[i];
    line[9] = ' ';
    fmt_uint(COLLISION, line + 10, 5);
    line[15] = 0;
    ppu_text(8, 21, line);
    ppu_text(10, 25, "PRESS START");
    sprites_hide();
    MODE = MODE_RESULTS;
    ppu_on();
}

void results_frame(unsigned char pressed)
{
    if (pressed & BTN_START) menu_enter();
}
