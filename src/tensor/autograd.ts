import { check } from './errors.js';
import { isGradEnabled, noGrad } from './grad-mode.js';
import { kernel } from './kernels.js';
import { sameShape, shapeToString } from './shape.js';
import type { GradNode, Tensor } from './tensor.js';

/**
 * Records `out` as made by `op` from `inputs` when gradients are on and any input requires one.
 * `backward` receives the output's gradient and returns one gradient per input (null where not
 * needed: check `input.requiresGrad` before computing it). Its closure holds what it saved.
 */
export function record(op: string, inputs: readonly (Tensor | null)[], out: Tensor, backward: (dy: Tensor) => readonly (Tensor | null)[]): Tensor {
  if (!isGradEnabled() || !inputs.some((t) => t !== null && t.requiresGrad)) return out;
  out.requiresGrad = true;
  const node: GradNode = { op, inputs, backward };
  out.node = node;
  return out;
}

/** Tensors reachable from `root` through recorded ops, inputs before the tensors made from them. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: Array<{ t: Tensor; next: number }> = [{ t: root, next: 0 }];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const inputs = top.t.node?.inputs ?? [];
    if (top.next < inputs.length) {
      const input = inputs[top.next++];
      if (input && input.requiresGrad && !seen.has(input)) {
        seen.add(input);
        stack.push({ t: input, next: 0 });
      }
    } else {
      order.push(top.t);
      stack.pop();
    }
  }
  return order;
}

/** Sum of two gradients in new storage (neither input is modified: gradients may share storage). */
function sumOf(a: Tensor, b: Tensor): Tensor {
  const out = a.clone();
  kernel('axpby')(1, b.f32('backward'), 1, out.f32('backward'));
  return out;
}

/**
 * Reverse-mode differentiation from `root`. Leaves accumulate into `.grad` (added to what is there);
 * each op's saved tensors are released as soon as its gradient has been propagated.
 */
export function backward(root: Tensor, grad?: Tensor): void {
  check(root.requiresGrad, 'backward', () => `${root} does not require a gradient (no input of its graph requires one)`);
  if (grad === undefined) {
    check(root.size === 1, 'backward', () => `a gradient must be given for a non-scalar output ${shapeToString(root.shape)}`);
  } else {
    check(sameShape(grad.shape, root.shape), 'backward', () => `gradient ${shapeToString(grad.shape)} does not match output ${shapeToString(root.shape)}`);
  }
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>();
  const seed = grad ?? root.clone();
  if (grad === undefined) seed.f32('backward').fill(1);
  grads.set(root, seed);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = grads.get(t);
      grads.delete(t);
      if (g === undefined) continue;
      const node = t.node;
      if (node === null) {
        t.grad = t.grad === null ? g.clone() : sumOf(t.grad, g);
        continue;
      }
      check(node.backward !== null, 'backward', () => `the graph through ${node.op} was already used by an earlier backward()`);
      const inputGrads = node.backward(g);
      node.backward = null;
      node.inputs.forEach((input, k) => {
        const ig = inputGrads[k];
        if (!input || !input.requiresGrad || !ig) return;
        check(sameShape(ig.shape, input.shape), node.op, () => `gradient ${shapeToString(ig.shape)} for input ${k} of shape ${shapeToString(input.shape)}`);
        const prev = grads.get(input);
        grads.set(input, prev === undefined ? ig : sumOf(prev, ig));
      });
    }
  });
}
