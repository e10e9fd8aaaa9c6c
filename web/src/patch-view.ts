import { h } from './dom.js';
import type { Grid3 } from './nifti.js';

/** Jet colour map of t in [0, 1] (blue, cyan, yellow, red), the usual rendering of Grad-CAM maps. */
export function jet(t: number): [number, number, number] {
  const c = (x: number): number => Math.round(255 * Math.min(1, Math.max(0, x)));
  return [c(1.5 - Math.abs(4 * t - 3)), c(1.5 - Math.abs(4 * t - 2)), c(1.5 - Math.abs(4 * t - 1))];
}

/**
 * One 16 x 64 x 64 model patch drawn slice by slice on a canvas: the windowed CT ([0, 1] -> grey),
 * with the Grad-CAM map over it in the jet colours, each pixel's opacity = slider x map value, so
 * what the network ignored stays clear. Axial slices as a radiologist reads them: the patch's x
 * (to the patient's left) runs to the right, y (to the back) runs down.
 */
export class PatchView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private slice: number;
  private opacity = 0.4;

  constructor(
    title: string,
    private readonly patch: Grid3,
    private readonly cam: Grid3 | null,
    testid: string,
  ) {
    const [nx, ny, nz] = patch.dims;
    this.slice = Math.floor(nz / 2);
    this.canvas = h('canvas', { width: nx, height: ny, class: 'patch', 'data-testid': testid });
    this.element = h('figure', { class: 'patch-figure' }, this.canvas, h('figcaption', {}, title, cam ? '' : ' (no Grad-CAM map)'));
    this.draw();
  }

  setSlice(k: number): void {
    this.slice = Math.min(this.patch.dims[2] - 1, Math.max(0, k));
    this.draw();
  }

  setOpacity(a: number): void {
    this.opacity = a;
    this.draw();
  }

  private draw(): void {
    const [nx, ny] = this.patch.dims;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(nx, ny);
    const base = this.slice * nx * ny;
    for (let p = 0; p < nx * ny; p++) {
      const g = Math.round(255 * Math.min(1, Math.max(0, this.patch.data[base + p]!)));
      let r = g;
      let gr = g;
      let b = g;
      if (this.cam) {
        const t = Math.min(1, Math.max(0, this.cam.data[base + p]!));
        const a = this.opacity * t;
        const [cr, cg, cb] = jet(t);
        r = Math.round((1 - a) * g + a * cr);
        gr = Math.round((1 - a) * g + a * cg);
        b = Math.round((1 - a) * g + a * cb);
      }
      img.data[4 * p] = r;
      img.data[4 * p + 1] = gr;
      img.data[4 * p + 2] = b;
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    this.canvas.dataset.state = 'drawn';
    this.canvas.dataset.slice = String(this.slice);
  }
}
