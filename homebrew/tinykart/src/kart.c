/* Kart physics, all fixed point: speed along the heading, speed-dependent
 * steering, grass drag, drifting, and wall collisions that slide or bounce. */
#include "nes.h"
#include "ram.h"
#include "tuning.h"
#include "kart.h"

/* Steering rate (8.8 angle units per frame, 256 units = full turn) indexed by
 * |speed| / 32: none when stopped, quickest at mid speed, wider at top speed. */
static const unsigned int turn_rate[17] = {
    0, 320, 560, 700, 780, 820, 830, 830, 820, 800, 770, 740, 700, 660, 620, 580, 550
};

static int spd;
static unsigned int nx, ny;

static void update_speed(unsigned char pad)
{
    unsigned char gas = pad & BTN_A;
    unsigned char brake = pad & BTN_B;
    unsigned char turning = pad & (BTN_LEFT | BTN_RIGHT);
    int top = (SURFACE == 1) ? GRASS_TOP : ROAD_TOP;

    DRIFT = gas && brake && turning && spd >= DRIFT_MIN;
    if (DRIFT) {
        spd -= DRIFT_DRAG;
    } else if (gas && !brake) {
        if (spd < top) {
            spd += (SURFACE == 1) ? ACCEL_GRASS : (spd < ROAD_TOP / 2 ? ACCEL_LOW : ACCEL_HIGH);
            if (spd > top) spd = top;
        }
    } else if (brake && !gas) {
        if (spd > 0) {
            spd -= BRAKE_DECEL;
            if (spd < 0) spd = 0;
        } else if (spd > -REVERSE_TOP) {
            spd -= REVERSE_ACCEL;
        }
    } else if (spd > 0) {
        spd = (spd > COAST_DRAG) ? spd - COAST_DRAG : 0;
    } else if (spd < 0) {
        spd = (spd < -COAST_DRAG) ? spd + COAST_DRAG : 0;
    }
    if (spd > top) {
        spd -= OVERSPEED_DRAG;
        if (spd < top) spd = top;
    }
    if (spd < -REVERSE_TOP) spd = -REVERSE_TOP;
}

static void steer(unsigned char pad)
{
    unsigned char idx;
    unsigned int rate;
    unsigned char dir = pad & (BTN_LEFT | BTN_RIGHT);

    if (dir == 0 || dir == (BTN_LEFT | BTN_RIGHT)) return;
    idx = (unsigned char)(((spd < 0) ? -spd : spd) >> 5);
    if (idx > 16) idx = 16;
    rate = turn_rate[idx];
    if (DRIFT) rate += rate >> 1;
    /* Reversing swaps the sense of the wheel, as in a real car. */
    if ((dir == BTN_RIGHT) == (spd >= 0)) ANGLE += rate; else ANGLE -= rate;
    HEADING = ((unsigned char)(ANGLE_HI + 8) >> 4) & 15;
}

static unsigned char blocked(unsigned int px, unsigned int py)
{
    probe_x = (unsigned char)(px >> 8);
    probe_y = (unsigned char)(py >> 8);
    return box_solid();
}

static void move(unsigned char count_hits)
{
    unsigned char dir = (unsigned char)(ANGLE_HI + 2) >> 2;   /* 64 directions */

    mul_a = spd;
    mul_b = sin64[(dir + 16) & 63];
    nx = POS_X + mul_trig();
    mul_a = spd;
    mul_b = sin64[dir & 63];
    ny = POS_Y + mul_trig();

    if (!blocked(nx, ny)) {
        POS_X = nx;
        POS_Y = ny;
        WALL_CONTACT = 0;
        return;
    }
    /* Hit: slide along the free axis if there is one, else bounce back. */
    if (!blocked(nx, POS_Y)) {
        POS_X = nx;
        spd -= spd >> 2;
    } else if (!blocked(POS_X, ny)) {
        POS_Y = ny;
        spd -= spd >> 2;
    } else {
        spd = -(spd >> 1);
    }
    if (!WALL_CONTACT && count_hits) ++COLLISION;
    WALL_CONTACT = 1;
}

void kart_reset(unsigned char x, unsigned char y)
{
    POS_X = (unsigned int)x << 8;
    POS_Y = (unsigned int)y << 8;
    ANGLE = 0;
    HEADING = 0;
    SPEED = 0;
    DRIFT = 0;
    WALL_CONTACT = 0;
    probe_x = x;
    probe_y = y;
    SURFACE = surface_at();
}

void kart_update(unsigned char pad, unsigned char racing)
{
    spd = SPEED;
    update_speed(pad);
    steer(pad);
    move(racing);
    SPEED = spd;
    probe_x = X_PIXEL;
    probe_y = Y_PIXEL;
    SURFACE = surface_at();
}
