/* Kart handling constants. Speeds are 8.8 pixels per frame (256 = 1 px). */
#ifndef TUNING_H
#define TUNING_H

#define ROAD_TOP        512   /* 2 px/frame */
#define GRASS_TOP       176   /* grass caps speed at ~0.7 px/frame */
#define ACCEL_LOW       8     /* below half speed */
#define ACCEL_HIGH      5
#define ACCEL_GRASS     4
#define COAST_DRAG      4     /* no pedal */
#define BRAKE_DECEL     16
#define REVERSE_ACCEL   4
#define REVERSE_TOP     160
#define OVERSPEED_DRAG  12    /* above the surface's top speed (entering grass) */
#define DRIFT_MIN       256   /* drifting needs at least 1 px/frame */
#define DRIFT_DRAG      2

#define COUNTDOWN_FRAMES 60
#define LAPS             3
#define FINISH_HOLD      90   /* frames on track after the finish, then results */

#endif
