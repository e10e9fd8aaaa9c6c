/**
 * Type declarations for dcmjs 0.51.1, which ships without them. Only what src/imaging/dicom-write.ts
 * uses is declared: a naturalized dataset (keyword -> value, `_vrMap` for VRs the dictionary leaves
 * ambiguous, `_meta` for the file meta group) turned into a Part 10 file.
 */
declare module 'dcmjs' {
  type DicomValue = string | number | readonly (string | number)[] | ArrayBuffer | Record<string, string>;
  interface NaturalizedDataset {
    [keyword: string]: DicomValue;
  }
  const dcmjs: {
    data: {
      datasetToBuffer(dataset: NaturalizedDataset): Buffer;
    };
  };
  export default dcmjs;
}
