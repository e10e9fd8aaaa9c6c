import { check } from './errors.js';
import { isGradEnabled, noGrad } from './grad-mode.js';
import { kernel } from './kernels.js';
import { sameShape, shapeToString } from './shape.js';
import type { GradEdge, GradNode, Tensor } from './tensor.js';

/**
 * Records `out` as made by `op` from `inputs` when gradients are on and any input requires one.
 * `backward` receives the output's gradient and returns one gradient per input (null where not
 * needed: check `input.requiresGrad` before computing it). Its closure holds what it saved; the
 * graph itself holds no tensor but the leaves.
 */
export function record(op: string, inputs: readonly (Tensor | null)[], out: Tensor, backward: (dy: Tensor) => readonly (Tensor | null)[]): Tensor {
  if (!isGradEnabled() || !inputs.some((t) => t !== null && t.requiresGrad)) return out;
  out.requiresGrad = true;
  const edges = inputs.map((t): GradEdge | null => {
    if (t === null || !t.requiresGrad) return null;
    return t.node !== null ? { node: t.node, shape: t.shape } : { leaf: t, shape: t.shape };
  });
  const node: GradNode = { op, inputs: edges, backward };
  out.node = node;
  return out;
}

/** Nodes reachable from `root` through their edges, inputs before the nodes made from them. */
function topologicalOrder(root: GradNode): GradNode[] {
  const order: GradNode[] = [];
  const seen = new Set<GradNode>([root]);
  const stack: Array<{ n: GradNode; next: number }> = [{ n: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.n.inputs.length) {
      const edge = top.n.inputs[top.next++];
      if (edge && 'node' in edge && !seen.has(edge.node)) {
        seen.add(edge.node);
        stack.push({ n: edge.node, next: 0 });
      }
    } else {
      order.push(top.n);
      stack.pop();
    }
  }
  return order;
}

/**
 * Gradient buffers this module allocated itself: only these are added into in place. Any other
 * gradient (an op's result, which may share storage with another gradient, or a user's tensor) is
 * copied before the first addition.
 */
const owned = new WeakSet<Tensor>();

/** a + b, in a's storage when a is ours, else in new storage; neither operand is otherwise changed. */
function accumulate(a: Tensor, b: Tensor): Tensor {
  const out = owned.has(a) ? a : a.clone();
  owned.add(out);
  kernel('axpby')(1, b.f32('backward'), 1, out.f32('backward'));
  return out;
}

function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  if (leaf.grad === null) {
    leaf.grad = g.clone();
    owned.add(leaf.grad);
  } else {
    leaf.grad = accumulate(leaf.grad, g);
  }
}

/**
 * Reverse-mode differentiation from `root`. Leaves accumulate into `.grad` (added to what is there);
 * each op's saved tensors and edges are released as soon as its gradient has been propagated.
 */
export function backward(root: Tensor, grad?: Tensor): void {
  check(root.requiresGrad, 'backward', () => `${root} does not require a gradient (no input of its graph requires one)`);
  if (grad === undefined) {
    check(root.size === 1, 'backward', () => `a gradient must be given for a non-scalar output ${shapeToString(root.shape)}`);
  } else {
    check(sameShape(grad.shape, root.shape), 'backward', () => `gradient ${shapeToString(grad.shape)} does not match output ${shapeToString(root.shape)}`);
  }
  const seed = grad ?? root.clone();
  if (grad === undefined) seed.f32('backward').fill(1);
  if (root.node === null) {
    accumulateLeaf(root, seed);
    return;
  }
  const rootNode = root.node;
  check(rootNode.backward !== null, 'backward', () => `the graph through ${rootNode.op} was already used by an earlier backward()`);
  const order: Array<GradNode | undefined> = topologicalOrder(rootNode);
  const grads = new Map<GradNode, Tensor>([[rootNode, seed]]);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i]!;
      order[i] = undefined;
      const g = grads.get(node);
      grads.delete(node);
      if (g === undefined) continue;
      check(node.backward !== null, 'backward', () => `the graph through ${node.op} was already used by an earlier backward()`);
      const inputGrads = node.backward(g);
      node.backward = null;
      node.inputs.forEach((edge, k) => {
        const ig = inputGrads[k];
        if (!edge || !ig) return;
        check(sameShape(ig.shape, edge.shape), node.op, () => `gradient ${shapeToString(ig.shape)} for input ${k} of shape ${shapeToString(edge.shape)}`);
        if ('leaf' in edge) {
          accumulateLeaf(edge.leaf, ig);
        } else {
          const prev = grads.get(edge.node);
          grads.set(edge.node, prev === undefined ? ig : accumulate(prev, ig));
        }
      });
      node.inputs = [];
    }
  });
}
