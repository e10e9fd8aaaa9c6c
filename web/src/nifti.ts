/**
 * Reads the NIfTI-1 files the server writes for patches and Grad-CAM maps (little endian, 348-byte
 * header, float32 or int16 voxels at vox_offset; nifti1.h): the grid size and the values, x fastest.
 */
export interface Grid3 {
  readonly dims: [number, number, number];
  readonly data: Float32Array;
}

export function readNifti1(buffer: ArrayBuffer): Grid3 {
  const v = new DataView(buffer);
  if (v.getInt32(0, true) !== 348) throw new Error('not a little-endian NIfTI-1 file');
  const dims: [number, number, number] = [v.getInt16(42, true), v.getInt16(44, true), v.getInt16(46, true)];
  const datatype = v.getInt16(70, true);
  const offset = Math.round(v.getFloat32(108, true));
  const n = dims[0] * dims[1] * dims[2];
  if (datatype === 16) return { dims, data: new Float32Array(buffer.slice(offset, offset + 4 * n)) };
  if (datatype === 4) return { dims, data: Float32Array.from(new Int16Array(buffer.slice(offset, offset + 2 * n))) };
  throw new Error(`NIfTI datatype ${datatype} is not float32 or int16`);
}
