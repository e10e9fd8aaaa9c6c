import type { Layer , Sequential } from '../nn/index.js';
import { Embedding, Linear, Module } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';
import { concat, mean, mul, relu, slice, Tensor as T } from '../tensor/index.js';
import { Rng } from '../util/random.js';
import { check } from '../nn/index.js';
import { pooledCells } from './central-cells.js';
import { convBnRelu } from './conv-bn-relu.js';
import { CrossModalFusion } from './cross-modal-fusion.js';
import { ResCBAM } from './res-cbam.js';
import { encode, encoderStages } from './spatial-encoder.js';
import { zscorePatches } from './zscore.js';
import { TemporalFusion } from './temporal-fusion.js';
import type { CsfNetConfig } from './variants.js';
import { MODEL_PARTS } from './variants.js';

/** Intermediate tensors of one forward pass, under the names of the parity fixtures. */
export interface Trace {
  enc_t0?: Tensor;
  enc_t1?: Tensor;
  fused?: Tensor;
  img_vec?: Tensor;
  tab_vec?: Tensor;
  cmaf?: Tensor;
}

export interface ForwardOptions {
  trace?: Trace;
  /** Replace the encoder outputs (Grad-CAM differentiates with respect to them). */
  encoded?: { t0: Tensor | null; t1: Tensor | null };
  /**
   * (B, 1) factors on the clinical vector before the fusion: 0 hides a sample's clinical data, 1
   * keeps it (modality dropout in training, src/train/clinical-dropout.ts). Absent = all kept.
   */
  clinicalKeep?: Tensor;
}

/**
 * CSF-Net (Shen et al., "CSF-Net: Cross-Modal Spatiotemporal Fusion Network for Pulmonary Nodule
 * Malignancy Predicting", arXiv 2501.16400, Fig. 2), with the official parameter names:
 * a spatial encoder shared by T0 and T1 (`conv1`, `conv2`, `first_cbam`, `layers`), temporal residual
 * fusion (`tepfushon`), image vector (`fc2`, `fc3`), clinical vector (`categorical_embeds`,
 * `linear_proj`, buffer `categories_offset`), cross-modal attention fusion (`fusion`) and the
 * classifier (`c1`, `c2`). Ablations (config.model) drop parts; names of what remains are unchanged.
 * Inputs: T0 and T1 patches (B, 1, 16, 64, 64), clinical indices int32 (B, columns); output logits (B, 2).
 */
export class CsfNet extends Module {
  readonly config: CsfNetConfig;
  readonly channels: number;
  readonly stem: readonly Layer[] = [];
  readonly layers: Sequential | null = null;
  readonly tepfushon: TemporalFusion | null = null;
  readonly fc2: Linear | null = null;
  readonly fc3: Linear | null = null;
  readonly categoriesOffset: Tensor | null = null;
  readonly categoricalEmbeds: Embedding | null = null;
  readonly linearProj: Linear | null = null;
  readonly fusion: CrossModalFusion | null = null;
  readonly c1: Linear;
  readonly c2: Linear;

  constructor(config: CsfNetConfig, seed: number) {
    super();
    this.config = config;
    const parts = MODEL_PARTS[config.model];
    const rng = new Rng(seed);
    check(config.stages.length > 0 && config.stages.every((s) => s.length > 0 && s.every((c) => Number.isInteger(c) && c > 0)), 'CsfNet', `stages ${JSON.stringify(config.stages)} must be non-empty lists of positive channel counts`);
    const last = config.stages[config.stages.length - 1]!;
    this.channels = last[last.length - 1]!;
    if (parts.image) {
      this.stem = [this.child('conv1', convBnRelu(1, 4, 3, 1, 1, rng)), this.child('conv2', convBnRelu(4, 4, 3, 1, 1, rng)), this.child('first_cbam', new ResCBAM(4, rng))];
      this.layers = this.child('layers', encoderStages(config.stages, 4, rng).layers);
      if (parts.fusion === 'temporal') this.tepfushon = this.child('tepfushon', new TemporalFusion(this.channels, rng));
      const imageIn = parts.fusion === 'concat' ? 2 * this.channels : this.channels;
      this.fc2 = this.child('fc2', new Linear(imageIn, 256, rng));
      this.fc3 = this.child('fc3', new Linear(256, 128, rng));
    }
    if (parts.clinical) {
      check(config.categories.length > 0 && config.categories.every((n) => Number.isInteger(n) && n > 0), 'CsfNet', `categories ${JSON.stringify(config.categories)} must be positive counts`);
      const offsets: number[] = [];
      let o = 2;
      for (const n of config.categories) {
        offsets.push(o);
        o += n;
      }
      this.categoriesOffset = this.buffer('categories_offset', T.int(offsets));
      this.categoricalEmbeds = this.child('categorical_embeds', new Embedding(o, this.channels, rng));
      this.linearProj = this.child('linear_proj', new Linear(this.channels, 128, rng));
    }
    if (parts.image && parts.clinical) this.fusion = this.child('fusion', new CrossModalFusion(128, 4, config.attnDropout, rng));
    this.c1 = this.child('c1', new Linear(parts.image && parts.clinical ? 256 : 128, 128, rng));
    this.c2 = this.child('c2', new Linear(128, 2, rng));
  }

  /**
   * The spatial encoder on one time point: windowed [0, 1] patches (B, 1, D, H, W), normalised as
   * the config says, -> (B, C, D/8, H/8, W/8).
   */
  encode(x: Tensor): Tensor {
    check(this.layers !== null, 'CsfNet', `model ${this.config.model} has no image encoder`);
    return encode(this.stem, this.layers, this.config.normalization === 'zscore' ? zscorePatches(x) : x);
  }

  /** T0 and T1 through the encoder as one batch (eval only: batch statistics would mix them). */
  private encodeJointly(x0: Tensor, x1: Tensor): { t0: Tensor; t1: Tensor } {
    check(x0.rank === 5 && x1.rank === 5 && x0.shape[0] === x1.shape[0], 'CsfNet', `T0 and T1 patches must be batches of the same size, got [${x0.shape.join(', ')}] and [${x1.shape.join(', ')}]`);
    const n = x0.shape[0]!;
    const both = this.encode(concat([x0, x1], 0));
    return { t0: slice(both, 0, 0, n), t1: slice(both, 0, n, 2 * n) };
  }

  /** Clinical vector: embeddings of (index + column offset), projected to 128 and averaged over columns. */
  clinicalVector(clin: Tensor): Tensor {
    check(this.categoricalEmbeds !== null && this.linearProj !== null && this.categoriesOffset !== null, 'CsfNet', `model ${this.config.model} uses no clinical data`);
    const cols = this.config.categories.length;
    check(clin.rank === 2 && clin.shape[1] === cols, 'CsfNet', `clinical input must be (batch, ${cols}) indices, got [${clin.shape.join(', ')}]`);
    const idx = clin.i32('CsfNet.clinical');
    const offsets = this.categoriesOffset.i32();
    const shifted = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) {
      const c = i % cols;
      check(idx[i]! >= 0 && idx[i]! < this.config.categories[c]!, 'CsfNet', `clinical column ${c} index ${idx[i]} is outside [0, ${this.config.categories[c]})`);
      shifted[i] = idx[i]! + offsets[c]!;
    }
    return mean(this.linearProj.forward(this.categoricalEmbeds.forward(new T(shifted, clin.shape))), 1);
  }

  forward(x0: Tensor | null, x1: Tensor | null, clin: Tensor | null, options: ForwardOptions = {}): Tensor {
    const parts = MODEL_PARTS[this.config.model];
    const trace = options.trace;
    let img: Tensor | null = null;
    if (parts.image) {
      check(x1 !== null && (!parts.t0 || x0 !== null), 'CsfNet', `model ${this.config.model} needs ${parts.t0 ? 'T0 and T1 patches' : 'the T1 patch'}`);
      // T0 before T1, as the reference: in training each pass updates the running statistics. In
      // eval the batch norms use running statistics, so both time points go through the encoder as
      // one batch: the same numbers, with twice the columns per convolution.
      let t0: Tensor | null = null;
      let t1: Tensor;
      const given = options.encoded;
      if (given === undefined && parts.t0 && !this.training) {
        ({ t0, t1 } = this.encodeJointly(x0!, x1));
      } else {
        if (parts.t0) t0 = given?.t0 ?? this.encode(x0!);
        t1 = given?.t1 ?? this.encode(x1);
      }
      let fused: Tensor;
      if (parts.fusion === 'temporal') fused = this.tepfushon!.forward(t0!, t1);
      else if (parts.fusion === 'concat') fused = concat([t0!, t1], 1);
      else fused = t1;
      img = this.fc3!.forward(relu(this.fc2!.forward(mean(pooledCells(fused, this.config.pooling), [2, 3, 4]))));
      if (trace) Object.assign(trace, { enc_t0: t0 ?? undefined, enc_t1: t1, fused, img_vec: img });
    }
    let tab: Tensor | null = null;
    if (parts.clinical) {
      check(clin !== null, 'CsfNet', `model ${this.config.model} needs clinical indices`);
      tab = this.clinicalVector(clin);
      if (options.clinicalKeep) tab = mul(tab, options.clinicalKeep);
      if (trace) trace.tab_vec = tab;
    }
    let features: Tensor;
    if (img && tab) {
      features = this.fusion!.forward(img, tab);
      if (trace) trace.cmaf = features;
    } else {
      features = (img ?? tab)!;
    }
    return this.c2.forward(relu(this.c1.forward(features)));
  }

  /** Reseeds every dropout of the network (attention weights), so a training step's masks follow from a seed. */
  reseedDropout(seed: number): void {
    if (!this.fusion) return;
    this.fusion.attnV.reseed(seed);
    this.fusion.attnT.reseed(seed + 1);
  }
}

