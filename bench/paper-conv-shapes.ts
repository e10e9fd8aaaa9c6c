/**
 * The distinct 3-D convolution shapes of the paper-size CSF-Net at batch 4 (8 patches through the
 * shared spatial encoder, 4 subjects through the temporal fusion), with how many times each runs in
 * one forward pass. Source: /work/shared/reference/csfnet_ref.py (stages [[64,64,64],[128,128,256],
 * [256,256,256,512]], input 1x16x64x64 per patch, stride-2 convs padded by 1, ResCBAM's 2->1 k5 p2).
 */
export interface ConvShape {
  /** Short label for tables. */
  name: string;
  n: number;
  cin: number;
  cout: number;
  /** Input D, H, W. */
  size: [number, number, number];
  k: number;
  stride: number;
  pad: number;
  /** Times this shape runs in one forward pass of the model. */
  uses: number;
}

export function paperConvShapes(batch = 4): ConvShape[] {
  const p = 2 * batch;
  return [
    { name: 'conv1 1->4 k3 @16x64x64', n: p, cin: 1, cout: 4, size: [16, 64, 64], k: 3, stride: 1, pad: 1, uses: 1 },
    { name: 'conv2 4->4 k3 @16x64x64', n: p, cin: 4, cout: 4, size: [16, 64, 64], k: 3, stride: 1, pad: 1, uses: 1 },
    { name: 'cbam 2->1 k5 @16x64x64', n: p, cin: 2, cout: 1, size: [16, 64, 64], k: 5, stride: 1, pad: 2, uses: 1 },
    { name: 'down 4->4 k3 s2 @16x64x64', n: p, cin: 4, cout: 4, size: [16, 64, 64], k: 3, stride: 2, pad: 1, uses: 1 },
    { name: 'block 4->64 k3 @8x32x32', n: p, cin: 4, cout: 64, size: [8, 32, 32], k: 3, stride: 1, pad: 1, uses: 1 },
    { name: 'block 64->64 k3 @8x32x32', n: p, cin: 64, cout: 64, size: [8, 32, 32], k: 3, stride: 1, pad: 1, uses: 5 },
    { name: 'shortcut 4->64 k1 @8x32x32', n: p, cin: 4, cout: 64, size: [8, 32, 32], k: 1, stride: 1, pad: 0, uses: 1 },
    { name: 'shortcut 64->64 k1 @8x32x32', n: p, cin: 64, cout: 64, size: [8, 32, 32], k: 1, stride: 1, pad: 0, uses: 2 },
    { name: 'cbam 2->1 k5 @8x32x32', n: p, cin: 2, cout: 1, size: [8, 32, 32], k: 5, stride: 1, pad: 2, uses: 1 },
    { name: 'down 64->64 k3 s2 @8x32x32', n: p, cin: 64, cout: 64, size: [8, 32, 32], k: 3, stride: 2, pad: 1, uses: 1 },
    { name: 'block 64->128 k3 @4x16x16', n: p, cin: 64, cout: 128, size: [4, 16, 16], k: 3, stride: 1, pad: 1, uses: 1 },
    { name: 'block 128->128 k3 @4x16x16', n: p, cin: 128, cout: 128, size: [4, 16, 16], k: 3, stride: 1, pad: 1, uses: 3 },
    { name: 'block 128->256 k3 @4x16x16', n: p, cin: 128, cout: 256, size: [4, 16, 16], k: 3, stride: 1, pad: 1, uses: 1 },
    { name: 'block 256->256 k3 @4x16x16', n: p, cin: 256, cout: 256, size: [4, 16, 16], k: 3, stride: 1, pad: 1, uses: 1 },
    { name: 'shortcut 64->128 k1 @4x16x16', n: p, cin: 64, cout: 128, size: [4, 16, 16], k: 1, stride: 1, pad: 0, uses: 1 },
    { name: 'shortcut 128->128 k1 @4x16x16', n: p, cin: 128, cout: 128, size: [4, 16, 16], k: 1, stride: 1, pad: 0, uses: 1 },
    { name: 'shortcut 128->256 k1 @4x16x16', n: p, cin: 128, cout: 256, size: [4, 16, 16], k: 1, stride: 1, pad: 0, uses: 1 },
    { name: 'cbam 2->1 k5 @4x16x16', n: p, cin: 2, cout: 1, size: [4, 16, 16], k: 5, stride: 1, pad: 2, uses: 1 },
    { name: 'down 256->256 k3 s2 @4x16x16', n: p, cin: 256, cout: 256, size: [4, 16, 16], k: 3, stride: 2, pad: 1, uses: 1 },
    { name: 'block 256->256 k3 @2x8x8', n: p, cin: 256, cout: 256, size: [2, 8, 8], k: 3, stride: 1, pad: 1, uses: 6 },
    { name: 'block 256->512 k3 @2x8x8', n: p, cin: 256, cout: 512, size: [2, 8, 8], k: 3, stride: 1, pad: 1, uses: 1 },
    { name: 'block 512->512 k3 @2x8x8', n: p, cin: 512, cout: 512, size: [2, 8, 8], k: 3, stride: 1, pad: 1, uses: 1 },
    { name: 'shortcut 256->256 k1 @2x8x8', n: p, cin: 256, cout: 256, size: [2, 8, 8], k: 1, stride: 1, pad: 0, uses: 3 },
    { name: 'shortcut 256->512 k1 @2x8x8', n: p, cin: 256, cout: 512, size: [2, 8, 8], k: 1, stride: 1, pad: 0, uses: 1 },
    { name: 'cbam 2->1 k5 @2x8x8', n: p, cin: 2, cout: 1, size: [2, 8, 8], k: 5, stride: 1, pad: 2, uses: 1 },
    { name: 'fusion 1024->512 k3 @2x8x8', n: batch, cin: 1024, cout: 512, size: [2, 8, 8], k: 3, stride: 1, pad: 1, uses: 1 },
  ];
}

/** Output size along one axis: floor((in + 2p - k) / s) + 1. */
export function outSize(input: number, k: number, stride: number, pad: number): number {
  return Math.floor((input + 2 * pad - k) / stride) + 1;
}

/** Multiply-adds x 2 of one pass (forward, backward-data and backward-weight all cost the same). */
export function convFlops(s: ConvShape): number {
  const o = s.size.map((v) => outSize(v, s.k, s.stride, s.pad));
  return 2 * s.n * s.cout * o[0]! * o[1]! * o[2]! * s.cin * s.k ** 3;
}
