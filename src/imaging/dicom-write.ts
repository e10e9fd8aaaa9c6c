import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InputError } from '../util/errors.js';
import type { Volume } from './volume.js';
import { voxelToWorld } from './volume.js';

/** DICOM CT Image Storage SOP class (PS3.4 Annex B.5). */
export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

/** What a CT series carries besides its pixels. UIDs are given by the caller (no clock, no random). */
export interface DicomSeriesMeta {
  readonly patientId: string;
  /** Defaults to the patient ID; pass synthetic values only. */
  readonly patientName?: string;
  /** 'M', 'F' or '' (unknown). */
  readonly patientSex?: 'M' | 'F' | '';
  /** Age in years at the study. */
  readonly patientAgeYears?: number;
  readonly studyInstanceUid: string;
  /** SOP instance UIDs are `${seriesInstanceUid}.${slice number}`. */
  readonly seriesInstanceUid: string;
  readonly frameOfReferenceUid: string;
  /** YYYYMMDD. */
  readonly studyDate: string;
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  /** Stored value = round(HU) - intercept (RescaleSlope 1); default -1024. */
  readonly rescaleIntercept?: number;
  /** Marks the images as synthetic (SyntheticData, 0008,001C). */
  readonly synthetic?: boolean;
}

const UID_PATTERN = /^[0-9]+(\.[0-9]+)*$/;

/** A decimal string of at most 16 characters (VR DS), as exact as that allows. */
export function formatDs(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`formatDs: not finite: ${x}`);
  let s = String(x);
  for (let p = 15; s.length > 16 && p > 0; p--) s = String(Number(x.toPrecision(p)));
  return s;
}

function checkUid(name: string, uid: string, suffixDigits: number): void {
  if (!UID_PATTERN.test(uid) || uid.length + suffixDigits > 64 || /(^|\.)0[0-9]/.test(uid)) {
    throw new InputError(`writeDicomSeries: ${name} '${uid}' is not a valid UID (digits and dots, no leading zeros, at most 64 characters with the slice suffix)`, {
      rule: 'dicom-uid',
    });
  }
}

/**
 * Writes a volume as a DICOM CT series, one Part 10 file per slice (`0001.dcm`, ...) in `dir`, with
 * dcmjs: CT Image Storage, explicit VR little endian, signed 16-bit pixels with RescaleSlope 1 and
 * RescaleIntercept. Geometry follows PS3.3 C.7.6.2: ImageOrientationPatient holds the world
 * directions of the volume's i axis (along a row) and j axis (down a column), PixelSpacing is
 * (row spacing = j spacing, column spacing = i spacing), and ImagePositionPatient of slice k is the
 * world position of voxel (0, 0, k). Each file is written atomically. Returns the file paths.
 */
export function writeDicomSeries(dir: string, volume: Volume, meta: DicomSeriesMeta): string[] {
  const [nx, ny, nz] = volume.shape;
  if (volume.data.length !== nx * ny * nz) {
    throw new InputError(`writeDicomSeries: ${dir}: data has ${volume.data.length} values, shape ${nx}x${ny}x${nz} needs ${nx * ny * nz}`, {
      file: dir,
      rule: 'data-length',
    });
  }
  if (nx > 65535 || ny > 65535 || nz > 9999) {
    throw new InputError(`writeDicomSeries: ${dir}: shape ${nx}x${ny}x${nz} exceeds DICOM rows/columns or 9999 slices`, { file: dir, rule: 'dicom-size' });
  }
  const digits = String(nz).length + 1;
  checkUid('studyInstanceUid', meta.studyInstanceUid, 0);
  checkUid('seriesInstanceUid', meta.seriesInstanceUid, digits);
  checkUid('frameOfReferenceUid', meta.frameOfReferenceUid, 0);
  const intercept = meta.rescaleIntercept ?? -1024;
  const d = volume.direction;
  const orientation = [d[0]!, d[3]!, d[6]!, d[1]!, d[4]!, d[7]!].map(formatDs);
  const normal = [d[3]! * d[7]! - d[6]! * d[4]!, d[6]! * d[1]! - d[0]! * d[7]!, d[0]! * d[4]! - d[3]! * d[1]!];
  const plane = nx * ny;
  const paths: string[] = [];
  for (let k = 0; k < nz; k++) {
    const pixels = new ArrayBuffer(2 * plane);
    const view = new DataView(pixels);
    for (let p = 0; p < plane; p++) {
      const stored = Math.round(volume.data[k * plane + p]!) - intercept;
      if (stored < -32768 || stored > 32767) {
        throw new InputError(`writeDicomSeries: ${dir}: value ${volume.data[k * plane + p]} at slice ${k} does not fit int16 with intercept ${intercept}`, {
          file: dir,
          rule: 'int16-range',
        });
      }
      view.setInt16(2 * p, stored, true);
    }
    const position = voxelToWorld(volume, [0, 0, k]);
    const dataset = {
      SpecificCharacterSet: 'ISO_IR 100',
      ImageType: meta.synthetic ? ['DERIVED', 'SECONDARY', 'AXIAL'] : ['ORIGINAL', 'PRIMARY', 'AXIAL'],
      SOPClassUID: CT_IMAGE_STORAGE,
      SOPInstanceUID: `${meta.seriesInstanceUid}.${k + 1}`,
      ...(meta.synthetic ? { SyntheticData: 'YES' } : {}),
      StudyDate: meta.studyDate,
      SeriesDate: meta.studyDate,
      StudyTime: '120000',
      AccessionNumber: '',
      Modality: 'CT',
      Manufacturer: 'csf-net',
      ReferringPhysicianName: '',
      SeriesDescription: meta.seriesDescription ?? '',
      PatientName: meta.patientName ?? meta.patientId,
      PatientID: meta.patientId,
      PatientBirthDate: '',
      PatientSex: meta.patientSex ?? '',
      ...(meta.patientAgeYears !== undefined ? { PatientAge: `${String(Math.round(meta.patientAgeYears)).padStart(3, '0')}Y` } : {}),
      BodyPartExamined: 'CHEST',
      SliceThickness: formatDs(volume.spacing[2]),
      KVP: '120',
      PatientPosition: 'HFS',
      StudyInstanceUID: meta.studyInstanceUid,
      SeriesInstanceUID: meta.seriesInstanceUid,
      StudyID: '1',
      SeriesNumber: String(meta.seriesNumber ?? 1),
      InstanceNumber: String(k + 1),
      ImagePositionPatient: position.map(formatDs),
      ImageOrientationPatient: orientation,
      FrameOfReferenceUID: meta.frameOfReferenceUid,
      PositionReferenceIndicator: '',
      SliceLocation: formatDs(position[0] * normal[0]! + position[1] * normal[1]! + position[2] * normal[2]!),
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: ny,
      Columns: nx,
      PixelSpacing: [formatDs(volume.spacing[1]), formatDs(volume.spacing[0])],
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 1,
      RescaleIntercept: formatDs(intercept),
      RescaleSlope: '1',
      RescaleType: 'HU',
      PixelData: pixels,
      _vrMap: { PixelData: 'OW' },
      _meta: {},
    };
    const path = join(dir, `${String(k + 1).padStart(4, '0')}.dcm`);
    writeFileAtomic(path, dcmjs.data.datasetToBuffer(dataset));
    paths.push(path);
  }
  return paths;
}
