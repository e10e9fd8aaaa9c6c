import { Niivue, SLICE_TYPE } from '@niivue/niivue';
import { h } from './dom.js';
import { authHeaders } from './api.js';

/** Lung window of the scan viewer: level -600 HU, width 1500 HU. */
const LUNG_WINDOW = { min: -1350, max: 150 };

/**
 * One scan in NiiVue (WebGL2), axial, radiological convention, lung window, crosshair on the
 * nodule centre; call load() once the element is in the page (NiiVue sizes the canvas from its
 * box). The centre arrives in LPS (DICOM, as the API gives it) and NiiVue works in RAS (the NIfTI
 * world the server writes), so x and y change sign.
 */
export function scanViewer(title: string, url: string, centreLps: [number, number, number], testid: string): { element: HTMLElement; load: () => Promise<void> } {
  const canvas = h('canvas', { class: 'scan', 'data-testid': testid, 'data-state': 'loading' });
  const box = h('div', { class: 'scan-box' }, canvas);
  const caption = h('figcaption', {}, title);
  const element = h('figure', { class: 'scan-figure' }, box, caption);
  return { element, load };

  async function load(): Promise<void> {
    try {
      const nv = new Niivue({ isRadiologicalConvention: true, show3Dcrosshair: false, backColor: [0, 0, 0, 1], crosshairColor: [1, 0.8, 0, 0.8], isResizeCanvas: true });
      await nv.attachToCanvas(canvas);
      nv.setSliceType(SLICE_TYPE.AXIAL);
      await nv.loadVolumes([{ url, name: url.split('/').pop() ?? 'scan.nii', headers: authHeaders(), cal_min: LUNG_WINDOW.min, cal_max: LUNG_WINDOW.max, colormap: 'gray' }]);
      const ras: [number, number, number] = [-centreLps[0], -centreLps[1], centreLps[2]];
      nv.scene.crosshairPos = nv.mm2frac(ras);
      // Moving the crosshair needs a redraw only; updateGLVolume() would rebuild the volume's
      // textures, which costs more than the load itself under software WebGL.
      nv.drawScene();
      const vol = nv.volumes[0];
      canvas.dataset.state = 'loaded';
      canvas.dataset.dims = vol?.dims ? vol.dims.slice(1, 4).join('x') : '';
      caption.append(` — ${canvas.dataset.dims}, crosshair at the nodule (LPS ${centreLps.map((v) => v.toFixed(1)).join(', ')} mm)`);
    } catch (err) {
      canvas.dataset.state = 'error';
      caption.append(` — could not show the scan: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
