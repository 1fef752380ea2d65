/* The fixed game-state page ($0300-$03FF). RL tools read these addresses
 * (integrations/TinyKart-Nes/data.json), so they must never move: the linker
 * does not allocate this page, and every field has a hard-coded address.
 * 16-bit fields are little-endian. Keep README.md's RAM map in sync. */
#ifndef RAM_H
#define RAM_H

#define U8(a)  (*(volatile unsigned char *)(a))
#define U16(a) (*(volatile unsigned int *)(a))
#define S16(a) (*(volatile int *)(a))

#define MODE_TITLE     0
#define MODE_COUNTDOWN 1
#define MODE_RACE      2
#define MODE_FINISHED  3   /* race over, kart coasting on the track */
#define MODE_RESULTS   4

#define MODE            U8(0x0300)
#define TRACK           U8(0x0301)  /* 0 oval, 1 S-bends, 2 hairpins */
#define LAP             U8(0x0302)  /* completed laps, 0..3 */
#define CHECKPOINT      U8(0x0303)  /* last sector reached in order, 0..N-1 */
#define NUM_CHECKPOINTS U8(0x0304)  /* N, sectors per lap */
#define PROGRESS        U8(0x0305)  /* LAP*N + CHECKPOINT, only ever grows */
#define HEADING         U8(0x0306)  /* 0..15, 0 = east, clockwise */
#define SURFACE         U8(0x0307)  /* under the kart centre: 0 road, 1 grass, 2 solid */
#define SPEED           S16(0x0308) /* 8.8 pixels/frame along the heading, <0 reversing */
#define POS_X           U16(0x030A) /* 8.8 pixels; high byte ($030B) = x pixel */
#define POS_Y           U16(0x030C) /* 8.8 pixels; high byte ($030D) = y pixel */
#define X_PIXEL         U8(0x030B)
#define Y_PIXEL         U8(0x030D)
#define ANGLE           U16(0x030E) /* 8.8; high byte ($030F) = 0..255 per turn */
#define ANGLE_HI        U8(0x030F)
#define BACKWARD        U8(0x0310)  /* 1 while in a sector behind the last checkpoint */
#define FINISHED        U8(0x0311)  /* 1 once 3 laps are done */
#define COLLISION       U16(0x0312) /* wall hits so far this race */
#define RACE_TIMER      U16(0x0314) /* race frames so far (stops at the finish) */
#define STALL_TIMER     U16(0x0316) /* frames since the last in-order checkpoint */
#define OFFROAD_FRAMES  U16(0x0318) /* race frames spent on grass */
#define BACKWARD_FRAMES U16(0x031A) /* race frames with BACKWARD set */
#define SECTOR          U8(0x031C)  /* sector under the kart centre now */
#define COUNTDOWN       U8(0x031D)  /* frames left before the race starts */
#define DRIFT           U8(0x031E)  /* 1 while drifting */
#define WALL_CONTACT    U8(0x031F)  /* 1 while the kart touches a wall */
#define LAP_FRAMES(i)   U16(0x0320 + 2 * (i)) /* time of each lap, 3 entries */
#define LAG_FRAMES      U8(0x0326)  /* frames whose logic overran (always 0) */
#define MENU_CURSOR     U8(0x0327)
#define PAD             U8(0x0328)  /* buttons read this frame */
#define MODE_TIMER      U8(0x0329)  /* frames spent in MODE_FINISHED */
#define IDLE_SPINS      U16(0x032A) /* idle loops (16 cycles) before the last vblank */

#endif
