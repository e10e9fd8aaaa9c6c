import type { Command } from 'commander';
import { brock } from '../clinical/brock.js';
import { checkChoice, parseNumberText } from '../clinical/field-check.js';
import { lungRads } from '../clinical/lung-rads.js';
import type { LungRadsPrior } from '../clinical/lung-rads.js';
import { mayo } from '../clinical/mayo.js';
import { NODULE_TYPES } from '../clinical/nodule-type.js';
import { PLCO_RACES, plcoM2012 } from '../clinical/plco-m2012.js';
import type { Assumption, RiskResult } from '../clinical/risk-result.js';
import { volumeDoublingTime, volumeDoublingTimeFromDiameters } from '../clinical/volume-doubling-time.js';
import { InputError } from '../util/errors.js';
import type { SetExitCode } from './commands.js';

/**
 * `csfnet risk brock|mayo|lung-rads|vdt|plco`: the clinical rules of src/clinical from flags named
 * after their inputs. Bad inputs are InputErrors (exit code 2, one line naming the field); --json
 * prints one JSON object with snake_case keys.
 */
type Flags = Record<string, string | boolean | undefined>;

export function register(program: Command, _setExit: SetExitCode): void {
  const risk = program.command('risk').description('clinical risk rules: Brock, Mayo, Lung-RADS v2022, volume doubling time, PLCOm2012');

  const yesNo = (cmd: Command, name: string, what: string): Command => cmd.option(`--${name}`, what).option(`--no-${name}`, `not ${what}`);

  const brockCmd = risk
    .command('brock')
    .description('Brock (PanCan) full model: probability that a nodule is malignant')
    .option('--age <years>', 'age in years')
    .option('--sex <sex>', 'male or female')
    .option('--diameter-mm <mm>', 'nodule diameter in mm')
    .option('--type <type>', 'solid, part-solid or ground-glass')
    .option('--count <n>', 'number of nodules on the scan')
    .option('--model <variant>', '2b (with spiculation, default) or 2a (without)', '2b')
    .option('--json', 'print JSON');
  for (const [name, what] of [['upper-lobe', 'in an upper lobe'], ['spiculation', 'spiculated'], ['family-history', 'first-degree relative with lung cancer'], ['emphysema', 'emphysema']] as const) yesNo(brockCmd, name, what);
  brockCmd.action((o: Flags) => {
    const variant = checkChoice('brock', 'model', str(o.model) ?? '2b', ['2a', '2b'] as const);
    const m = `brock-${variant}`;
    need(m, o, ['age', 'diameterMm']);
    const r = brock(
      {
        age: num(m, 'age', o.age)!,
        sex: o.sex === undefined ? undefined : checkChoice(m, 'sex', str(o.sex)!, ['male', 'female'] as const),
        diameterMm: num(m, 'diameter_mm', o.diameterMm)!,
        type: o.type === undefined ? undefined : checkChoice(m, 'type', str(o.type)!, ['solid', 'part-solid', 'ground-glass'] as const),
        count: num(m, 'count', o.count),
        upperLobe: bool(o.upperLobe),
        spiculation: bool(o.spiculation),
        familyHistory: bool(o.familyHistory),
        emphysema: bool(o.emphysema),
      },
      variant,
    );
    printRisk(r, o.json === true, 'probability of malignancy');
  });

  const mayoCmd = risk
    .command('mayo')
    .description('Mayo Clinic model: probability that a solitary nodule is malignant')
    .option('--age <years>', 'age in years')
    .option('--diameter-mm <mm>', 'nodule diameter in mm')
    .option('--json', 'print JSON');
  for (const [name, what] of [['smoker', 'current or former smoker'], ['cancer-history', 'extrathoracic cancer more than 5 years ago'], ['spiculation', 'spiculated'], ['upper-lobe', 'in an upper lobe']] as const) yesNo(mayoCmd, name, what);
  mayoCmd.action((o: Flags) => {
    const m = 'mayo';
    need(m, o, ['age', 'diameterMm']);
    const r = mayo({ age: num(m, 'age', o.age)!, diameterMm: num(m, 'diameter_mm', o.diameterMm)!, smoker: bool(o.smoker), cancerHistory: bool(o.cancerHistory), spiculation: bool(o.spiculation), upperLobe: bool(o.upperLobe) });
    printRisk(r, o.json === true, 'probability of malignancy');
  });

  const plcoCmd = risk
    .command('plco')
    .description('PLCOm2012: six-year lung-cancer risk of an ever-smoker')
    .option('--age <years>', 'age in years')
    .option('--race <race>', PLCO_RACES.join(', '))
    .option('--education <level>', '1 less than high school ... 6 postgraduate')
    .option('--bmi <kg/m2>', 'body-mass index')
    .option('--smoking <status>', 'current or former')
    .option('--cigarettes-per-day <n>', 'average cigarettes a day')
    .option('--smoking-years <years>', 'years smoked')
    .option('--years-since-quit <years>', 'years since quitting (former smokers)')
    .option('--json', 'print JSON');
  for (const [name, what] of [['cancer-history', 'personal history of cancer'], ['family-history', 'family history of lung cancer'], ['copd', 'COPD']] as const) yesNo(plcoCmd, name, what);
  plcoCmd.action((o: Flags) => {
    const m = 'plcom2012';
    need(m, o, ['age', 'cigarettesPerDay', 'smokingYears']);
    const r = plcoM2012({
      age: num(m, 'age', o.age)!,
      race: o.race === undefined ? undefined : checkChoice(m, 'race', str(o.race)!, PLCO_RACES),
      education: num(m, 'education', o.education),
      bmi: num(m, 'bmi', o.bmi),
      smoking: o.smoking === undefined ? undefined : checkChoice(m, 'smoking', str(o.smoking)!, ['current', 'former'] as const),
      cigarettesPerDay: num(m, 'cigarettes_per_day', o.cigarettesPerDay)!,
      smokingYears: num(m, 'smoking_years', o.smokingYears)!,
      yearsSinceQuit: num(m, 'years_since_quit', o.yearsSinceQuit),
      cancerHistory: bool(o.cancerHistory),
      familyHistory: bool(o.familyHistory),
      copd: bool(o.copd),
    });
    printRisk(r, o.json === true, 'six-year lung-cancer risk');
  });

  risk
    .command('lung-rads')
    .description('Lung-RADS v2022 category of one nodule, at baseline or against a prior scan')
    .option('--type <type>', NODULE_TYPES.join(', '))
    .option('--diameter-mm <mm>', 'mean diameter in mm (total for part-solid)')
    .option('--solid-mm <mm>', 'solid component of a part-solid nodule, mm')
    .option('--new', 'the nodule is new since the prior scan')
    .option('--prior-diameter-mm <mm>', 'mean diameter on the prior scan')
    .option('--prior-solid-mm <mm>', 'solid component on the prior scan')
    .option('--prior-type <type>', 'type on the prior scan (default: the current type)')
    .option('--days <n>', 'days between the prior scan and this one')
    .option('--json', 'print JSON')
    .action((o: Flags) => {
      const m = 'lung-rads';
      need(m, o, ['diameterMm']);
      let prior: LungRadsPrior | undefined;
      if (o.new === true) {
        if (o.priorDiameterMm !== undefined) throw new InputError(`${m}: --new and --prior-diameter-mm contradict each other`, { rule: 'inconsistent' });
        prior = { kind: 'new' };
      } else if (o.priorDiameterMm !== undefined) {
        need(m, o, ['days']);
        prior = {
          kind: 'seen',
          days: num(m, 'days', o.days)!,
          diameterMm: num(m, 'prior_diameter_mm', o.priorDiameterMm)!,
          solidMm: num(m, 'prior_solid_mm', o.priorSolidMm),
          type: o.priorType === undefined ? undefined : checkChoice(m, 'prior_type', str(o.priorType)!, NODULE_TYPES),
        };
      }
      const type = o.type === undefined ? undefined : checkChoice(m, 'type', str(o.type)!, NODULE_TYPES);
      const r = lungRads({ type, diameterMm: num(m, 'diameter_mm', o.diameterMm)!, solidMm: num(m, 'solid_mm', o.solidMm), prior });
      if (o.json === true) {
        print(JSON.stringify({ model: r.model, category: r.category, rank: r.rank, reason: r.reason, assumed: r.assumed }));
      } else {
        print(`Lung-RADS v2022 category ${r.category}: ${r.reason}${assumedText(r.assumed)}`);
      }
    });

  risk
    .command('vdt')
    .description('volume doubling time from two volumes (or diameters) and the interval')
    .option('--days <n>', 'days between the scans')
    .option('--volume0-mm3 <mm3>', 'volume on the first scan')
    .option('--volume1-mm3 <mm3>', 'volume on the second scan')
    .option('--diameter0-mm <mm>', 'diameter on the first scan (when volumes are not known)')
    .option('--diameter1-mm <mm>', 'diameter on the second scan')
    .option('--json', 'print JSON')
    .action((o: Flags) => {
      const m = 'vdt';
      need(m, o, ['days']);
      const byVolume = o.volume0Mm3 !== undefined || o.volume1Mm3 !== undefined;
      const byDiameter = o.diameter0Mm !== undefined || o.diameter1Mm !== undefined;
      if (byVolume === byDiameter) throw new InputError(`${m}: give either --volume0-mm3 and --volume1-mm3 or --diameter0-mm and --diameter1-mm`, { rule: 'inconsistent' });
      const days = num(m, 'days', o.days)!;
      let r;
      if (byVolume) {
        need(m, o, ['volume0Mm3', 'volume1Mm3']);
        r = volumeDoublingTime({ days, volume0Mm3: num(m, 'volume0_mm3', o.volume0Mm3)!, volume1Mm3: num(m, 'volume1_mm3', o.volume1Mm3)! });
      } else {
        need(m, o, ['diameter0Mm', 'diameter1Mm']);
        r = volumeDoublingTimeFromDiameters({ days, diameter0Mm: num(m, 'diameter0_mm', o.diameter0Mm)!, diameter1Mm: num(m, 'diameter1_mm', o.diameter1Mm)! });
      }
      // VDT rounded to 0.1 day; null when the volume did not change (infinite VDT).
      const vdtDays = Number.isFinite(r.vdtDays) ? Math.round(r.vdtDays * 10) / 10 : null;
      if (o.json === true) print(JSON.stringify({ vdt_days: vdtDays, interpretation: r.interpretation }));
      else print(`volume doubling time ${vdtDays === null ? 'infinite' : `${vdtDays} days`}: ${r.interpretation} (${r.reason})`);
    });
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function bool(v: string | boolean | undefined): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

function num(model: string, field: string, v: string | boolean | undefined): number | undefined {
  return typeof v === 'string' ? parseNumberText(model, field, v) : undefined;
}

/** Throws naming the first missing required flag (commander's own message would take two lines). */
function need(model: string, o: Flags, keys: readonly string[]): void {
  for (const key of keys) {
    if (o[key] === undefined) throw new InputError(`${model}: --${kebab(key)} is required`, { rule: 'missing-flag' });
  }
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
}

function assumedText(assumed: readonly Assumption[]): string {
  return assumed.length === 0 ? '' : `\nassumed: ${assumed.map((a) => a.note).join('; ')}`;
}

function printRisk<I extends object>(r: RiskResult<I>, json: boolean, what: string): void {
  if (json) {
    const inputs = Object.fromEntries(Object.entries(r.inputs).filter(([, v]) => v !== undefined).map(([k, v]) => [snake(k), v as unknown]));
    print(JSON.stringify({ model: r.model, p: r.p, inputs, assumed: r.assumed, notes: r.notes }));
    return;
  }
  const notes = r.notes.length === 0 ? '' : `\nnote: ${r.notes.join('; ')}`;
  print(`${r.model}: ${what} ${(100 * r.p).toFixed(1)}% (p = ${r.p.toFixed(4)})${assumedText(r.assumed)}${notes}`);
}
