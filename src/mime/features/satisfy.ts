/**
 * RFC 2533 §5 (matching feature sets): is there a feature collection that satisfies an
 * expression, `(& P Q)` for a sender's format P and a receiver's capabilities Q (§5.2)?
 * The steps of §5.1 are done lazily, as a depth-first search rather than by writing the whole
 * disjunctive normal form out (the low-memory variant the §5.1 NOTE allows): sets become
 * disjunctions of comparisons (§5.3), negations move inwards (§5.4), every comparison becomes
 * LE / GE / NL / NG (§5.5), and each conjunction is checked tag by tag (§5.7) with the merge
 * rules of §5.8.1 (numbers, ordered, dense: rationals) and §5.8.2 (tokens, strings, Booleans:
 * equal or not). The search stops at the first satisfiable conjunction and is bounded by
 * MAX_FEATURE_MATCH_STEPS, because an AND of n ORs has 2^n conjunctions. Pure.
 */

import { IfaxError } from '../../errors.js';
import { MAX_FEATURE_MATCH_STEPS } from '../../limits.js';
import { compareValues, type FeatureExpression, type FeatureValue, type Relation } from './expression.js';
import { foldsCase } from './schema.js';

/** §5.5's four primitives: LE, GE, and their negations NL = !(LE), NG = !(GE). */
type Rel = 'LE' | 'GE' | 'NL' | 'NG';

interface Atom {
  rel: Rel;
  value: FeatureValue;
}

/** A goal still to be shown: an expression, negated or not (§5.4 applied as we go). */
interface Goal {
  node: FeatureExpression;
  negated: boolean;
}

/** A persistent list of goals: branches share their tails. */
interface GoalList {
  head: Goal;
  tail: GoalList | undefined;
}

/** Constraints gathered so far, by tag (lower-cased; a number's unit makes a separate feature, §6.2). */
type Store = Map<string, readonly Atom[]>;

function push(list: GoalList | undefined, goals: readonly Goal[]): GoalList | undefined {
  let out = list;
  for (let i = goals.length - 1; i >= 0; i--) out = { head: goals[i]!, tail: out };
  return out;
}

function storeKey(attr: string, v: FeatureValue): string {
  const tag = attr.toLowerCase();
  return v.kind === 'number' && v.unit !== undefined ? `${tag} ${v.unit.toLowerCase()}` : tag;
}

/**
 * Whether some value satisfies every atom (§5.8). A value may be a number or not: a number
 * must lie in the interval the numeric atoms leave (open or closed at each end) and cannot
 * meet LE/GE of a non-number (unordered: only equality would satisfy them); a non-number must
 * equal every LE/GE non-number value, differ from every NL/NG one, and cannot meet LE/GE of
 * a number.
 */
export function atomsSatisfiable(atoms: readonly Atom[], foldCase = false): boolean {
  return numberPossible(atoms) || otherPossible(atoms, foldCase);
}

function numberPossible(atoms: readonly Atom[]): boolean {
  let lo: { v: FeatureValue; open: boolean } | undefined;
  let hi: { v: FeatureValue; open: boolean } | undefined;
  for (const a of atoms) {
    if (a.value.kind !== 'number') {
      if (a.rel === 'LE' || a.rel === 'GE') return false;
      continue;
    }
    if (a.rel === 'GE' || a.rel === 'NL') {
      const open = a.rel === 'NL';
      const r = lo === undefined ? 'gt' : compareValues(a.value, lo.v);
      if (r === 'gt' || (r === 'eq' && open)) lo = { v: a.value, open };
    } else {
      const open = a.rel === 'NG';
      const r = hi === undefined ? 'lt' : compareValues(a.value, hi.v);
      if (r === 'lt' || (r === 'eq' && open)) hi = { v: a.value, open };
    }
  }
  if (lo === undefined || hi === undefined) return true;
  const r: Relation = compareValues(lo.v, hi.v);
  return r === 'lt' || (r === 'eq' && !lo.open && !hi.open);
}

function otherPossible(atoms: readonly Atom[], foldCase: boolean): boolean {
  let must: FeatureValue | undefined;
  for (const a of atoms) {
    if (a.rel !== 'LE' && a.rel !== 'GE') continue;
    if (a.value.kind === 'number') return false;
    if (must === undefined) must = a.value;
    else if (compareValues(must, a.value, foldCase) !== 'eq') return false;
  }
  if (must === undefined) return true; // infinitely many tokens differ from the excluded ones
  for (const a of atoms) {
    if ((a.rel === 'NL' || a.rel === 'NG') && compareValues(must, a.value, foldCase) === 'eq') return false;
  }
  return true;
}

/** The goals a set stands for (§5.3): one disjunct per entry, a range being (& (T>=R1) (T<=R2)). */
function setAsOr(n: Extract<FeatureExpression, { type: 'set' }>): FeatureExpression {
  return {
    type: 'or',
    operands: n.entries.map((e): FeatureExpression =>
      e.kind === 'value'
        ? { type: 'compare', attr: n.attr, op: '=', value: e.value }
        : {
            type: 'and',
            operands: [
              { type: 'compare', attr: n.attr, op: '>=', value: e.low },
              { type: 'compare', attr: n.attr, op: '<=', value: e.high },
            ],
          },
    ),
  };
}

/** The result of a satisfiability check. */
export interface SatisfyResult {
  satisfiable: boolean;
  /** Search steps taken (for tests and for tuning MAX_FEATURE_MATCH_STEPS). */
  steps: number;
}

/**
 * Whether some feature collection satisfies `expression` (RFC 2533 §5). Tags the expression
 * does not mention are unconstrained, which is how a tag one side does not know is "effectively
 * ignored" (RFC 2879 §3). Throws LIMIT_EXCEEDED after MAX_FEATURE_MATCH_STEPS steps.
 */
export function checkSatisfiable(expression: FeatureExpression, maxSteps = MAX_FEATURE_MATCH_STEPS): SatisfyResult {
  let steps = 0;
  // Choice points: each a goal list and the store it starts from.
  const stack: { goals: GoalList | undefined; store: Store }[] = [{ goals: { head: { node: expression, negated: false }, tail: undefined }, store: new Map() }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    let goals = frame.goals;
    let store = frame.store;
    let copied = false;
    let dead = false;
    while (goals !== undefined && !dead) {
      if (++steps > maxSteps) {
        throw new IfaxError('LIMIT_EXCEEDED', `Matching feature expressions failed: more than MAX_FEATURE_MATCH_STEPS (${maxSteps}) steps; the capability statement has too many alternatives`, {
          context: { limit: 'MAX_FEATURE_MATCH_STEPS' },
          hint: 'Clear or simplify the destination\'s capabilities (ifax caps clear ADDR).',
        });
      }
      const { node, negated } = goals.head;
      goals = goals.tail;
      switch (node.type) {
        case 'not':
          goals = push(goals, [{ node: node.operand, negated: !negated }]);
          break;
        case 'set':
          goals = push(goals, [{ node: setAsOr(node), negated }]);
          break;
        case 'and':
        case 'or': {
          const children = node.operands.map((o) => ({ node: o, negated }));
          // (& ...) and !(| ...) are conjunctions (§5.4 De Morgan); the others branch.
          if ((node.type === 'and') !== negated) {
            goals = push(goals, children);
          } else {
            for (let i = children.length - 1; i >= 1; i--) stack.push({ goals: push(goals, [children[i]!]), store });
            copied = false; // the store is shared with the frames just pushed
            goals = push(goals, [children[0]!]);
          }
          break;
        }
        case 'compare': {
          const atoms: Atom[] =
            node.op === '<='
              ? [{ rel: negated ? 'NL' : 'LE', value: node.value }]
              : node.op === '>='
                ? [{ rel: negated ? 'NG' : 'GE', value: node.value }]
                : negated
                  ? [] // !(a=b) -> (| (NL a b) (NG a b)) (§5.5): branches below
                  : [
                      { rel: 'LE', value: node.value },
                      { rel: 'GE', value: node.value },
                    ];
          if (node.op === '=' && negated) {
            const le: FeatureExpression = { type: 'compare', attr: node.attr, op: '<=', value: node.value };
            const ge: FeatureExpression = { type: 'compare', attr: node.attr, op: '>=', value: node.value };
            stack.push({ goals: push(goals, [{ node: ge, negated: true }]), store });
            copied = false;
            goals = push(goals, [{ node: le, negated: true }]);
            break;
          }
          const key = storeKey(node.attr, node.value);
          const merged = [...(store.get(key) ?? []), ...atoms];
          if (!atomsSatisfiable(merged, foldsCase(node.attr))) {
            dead = true;
            break;
          }
          if (!copied) {
            store = new Map(store);
            copied = true;
          }
          store.set(key, merged);
          break;
        }
      }
    }
    if (!dead) return { satisfiable: true, steps };
  }
  return { satisfiable: false, steps };
}

/** Whether some feature collection satisfies `expression` (RFC 2533 §5). */
export function isSatisfiable(expression: FeatureExpression): boolean {
  return checkSatisfiable(expression).satisfiable;
}

/**
 * Whether two feature sets overlap: a sender's format and a receiver's capabilities match
 * when `(& format capabilities)` is satisfiable (RFC 2533 §5.2).
 */
export function featureSetsMatch(a: FeatureExpression, b: FeatureExpression): boolean {
  return isSatisfiable({ type: 'and', operands: [a, b] });
}
