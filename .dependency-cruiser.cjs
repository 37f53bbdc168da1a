// The layering of src/ (shared/DESIGN.md, "Layout"), checked by `npm run lint:layers` inside `npm test`.
// Floors, from the ground up; a folder imports only from its own floor or below, and within a floor
// only along the few arrows listed in SAME_FLOOR, so folders never form a cycle.
const FLOORS = [
  ['util', 'errors.ts'],
  ['trial'],
  ['search', 'storage', 'data', 'monitor', 'cache', 'tf'],
  ['study'],
  ['parallel', 'render'],
  ['models'],
  ['cli', 'testing', 'index.ts'],
];
const SAME_FLOOR = { util: ['errors.ts'], monitor: ['tf'], render: ['parallel'], cli: ['index.ts'] };
const ENGINE_CORE = ['trial', 'search', 'storage', 'study'];

const floorOf = (folder) => FLOORS.findIndex((floor) => floor.includes(folder));
const pathOf = (folder) => (folder.endsWith('.ts') ? `^src/${folder.replace('.', '\\.')}$` : `^src/${folder}/`);
const upward = [];
for (const [k, floor] of FLOORS.entries()) {
  for (const folder of floor) {
    const above = FLOORS.slice(k + 1).flat();
    const sideways = floor.filter((other) => other !== folder && !(SAME_FLOOR[folder] ?? []).includes(other));
    const banned = [...above, ...sideways];
    if (banned.length === 0) continue;
    upward.push({
      name: `layers: ${folder}`,
      comment: `${folder} (floor ${k}) may not import ${banned.join(', ')}: see the layers in shared/DESIGN.md`,
      severity: 'error',
      from: { path: pathOf(folder) },
      to: { path: banned.map(pathOf) },
    });
  }
}

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'Modules in a cycle of runtime imports: break it by moving the shared part a floor down. (Type-only imports between the modules of one folder, such as helpers naming the Study type, are erased and cannot form a load-order cycle.)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'engine-core-stays-light',
      comment: 'The engine core (trial, search, storage, study) never imports TF.js, danfojs or vega: those load lazily, from tf/, data/ and render/.',
      severity: 'error',
      from: { path: ENGINE_CORE.map(pathOf) },
      to: { path: ['node_modules/@tensorflow/', 'node_modules/danfojs', 'node_modules/vega'] },
    },
    {
      name: 'folders-known',
      comment: 'Every folder of src/ has a floor: add a new one to FLOORS in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^src/', pathNot: FLOORS.flat().map(pathOf) },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
