/* A race: load the track, count down, then per frame run the kart, follow
 * the ordered sectors (checkpoints, laps, wrong way) and the RL counters. */
#include "nes.h"
#include "ram.h"
#include "tuning.h"
#include "kart.h"
#include "hud.h"
#include "screens.h"
#include "sprites.h"

static unsigned int lap_start;

void race_enter(unsigned char t)
{
    unsigned char i;

    TRACK = t;
    map_ptr = trk_map[t];
    sect_ptr = trk_sect[t];
    NUM_CHECKPOINTS = trk_sectors[t];
    LAP = 0;
    CHECKPOINT = 0;
    PROGRESS = 0;
    BACKWARD = 0;
    FINISHED = 0;
    COLLISION = 0;
    RACE_TIMER = 0;
    STALL_TIMER = 0;
    OFFROAD_FRAMES = 0;
    BACKWARD_FRAMES = 0;
    SECTOR = 0;
    MODE_TIMER = 0;
    for (i = 0; i < LAPS; ++i) LAP_FRAMES(i) = 0;
    lap_start = 0;
    kart_reset(trk_start_x[t], trk_start_y[t]);

    ppu_off();
    ppu_ptr = map_ptr;
    ppu_load_screen();
    ppu_ptr = race_pal;
    ppu_load_palette();
    hud_static();
    sprites_hide();
    kart_draw();
    hud_frame();
    COUNTDOWN = COUNTDOWN_FRAMES;
    MODE = MODE_COUNTDOWN;
    ppu_on();
}

/* Sector bookkeeping. Only the next sector advances the checkpoint, so
 * going back and forth over a boundary never pays twice. */
static void follow_sectors(void)
{
    unsigned char n = NUM_CHECKPOINTS;
    unsigned char s, next;

    probe_x = X_PIXEL;
    probe_y = Y_PIXEL;
    s = sector_at();
    SECTOR = s;
    next = CHECKPOINT + 1;
    if (next == n) next = 0;
    if (s == next) {
        CHECKPOINT = s;
        ++PROGRESS;
        STALL_TIMER = 0;
        if (s == 0) {
            LAP_FRAMES(LAP) = RACE_TIMER - lap_start;
            lap_start = RACE_TIMER;
            if (++LAP == LAPS) {
                FINISHED = 1;
                MODE = MODE_FINISHED;
            } else {
                hud_lap_banner();
            }
        }
        next = s + 1;
        if (next == n) next = 0;
    }
    /* Anywhere but the checkpoint's sector or the next one is behind us. */
    BACKWARD = (s != CHECKPOINT && s != next);
}

static void race_tick(unsigned char pad)
{
    kart_update(pad, 1);
    if (RACE_TIMER != 0xFFFF) ++RACE_TIMER;
    if (STALL_TIMER != 0xFFFF) ++STALL_TIMER;
    hud_tick_clock();
    follow_sectors();
    if (SURFACE == 1) ++OFFROAD_FRAMES;
    if (BACKWARD) ++BACKWARD_FRAMES;
}

void race_frame(unsigned char pad)
{
    switch (MODE) {
    case MODE_COUNTDOWN:
        /* Input is ignored; the first race frame is the one after this reaches 0. */
        if (--COUNTDOWN == 0) MODE = MODE_RACE;
        break;
    case MODE_RACE:
        race_tick(pad);
        break;
    default:  /* MODE_FINISHED: coast without input, then show results */
        kart_update(0, 0);
        if (++MODE_TIMER == FINISH_HOLD) {
            results_enter();
            return;
        }
        break;
    }
    kart_draw();
    hud_frame();
}
