import { awscdk, DependencyType, javascript } from 'projen';
import { IMPORT_ZONES } from './projenrc/eslint-zones';

const project = new awscdk.AwsCdkConstructLibrary({
  author: 'cdk-safe-lambda maintainers',
  authorAddress: 'maintainers@users.noreply.h-seed-b3ce958e.example',
  name: 'cdk-safe-lambda',
  description: 'Lambda functions that are only ever invoked through a published version or alias: SafeFunction, a synth-time $LATEST guard, safe releases and version retention.',
  keywords: ['cdk', 'aws-cdk', 'awscdk', 'lambda', 'alias', 'version', 'codedeploy', 'canary', 'aspect'],
  repositoryUrl: 'https://github.com/cdk-safe-lambda/cdk-safe-lambda.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Peer floor (issue #12): jsii users get the Lambda props of the version we compile against, so the
  // floor is the first release with durableConfig (2.232; capacity providers 2.231, tenancy 2.226), at
  // its 2.232.2 patch: 2.232.0 ships an empty aws-cloudwatch private/alarm-options.d.ts, so TypeScript
  // sees no `evaluationPeriods` on AlarmProps. Newer features (the Validations API, 2.251+) are
  // feature-detected; CI also tests the newest release.
  cdkVersion: '2.232.2',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // The classic dev tsconfig that eslint, jest and ts-node share; issue #2 asks for it at the top level.
  tsconfigDevFile: 'tsconfig.dev.json',
  // '**/*.ts' skips dotfiles; eslint type-checks .projenrc.ts through this project too.
  tsconfigDev: { include: ['.projenrc.ts'], compilerOptions: {} },

  publishToPypi: { distName: 'cdk-safe-lambda', module: 'cdk_safe_lambda' },
  publishToMaven: {
    javaPackage: 'io.github.cdksafelambda',
    mavenGroupId: 'io.github.cdksafelambda',
    mavenArtifactId: 'cdk-safe-lambda',
  },
  publishToNuget: { dotNetNamespace: 'CdkSafeLambda', packageId: 'CdkSafeLambda' },
  publishToGo: { moduleName: 'github.com/cdk-safe-lambda/cdk-safe-lambda-go' },

  // projen's default test task runs `jest --updateSnapshot`; a CI run must never rewrite expectations.
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // A broken test glob must fail, not pass silently.
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // aws-cdk-lib >= 2.262 runs a WASM CloudFormation validator on the first synth of every test file.
      testTimeout: 60_000,
    },
  },

  // Snapshot-mode integ tests (no AWS account is reachable here).
  experimentalIntegRunner: true,

  // Handlers (*.lambda.ts) are bundled by esbuild and are not part of the jsii API.
  lambdaOptions: { runtime: awscdk.LambdaRuntime.NODEJS_22_X, bundlingOptions: { externals: ['@aws-sdk/*'] } },
  excludeTypescript: ['src/**/*.lambda.ts'],

  // One project for every linted file: the per-folder tsconfigs are gone with tsconfigDevFile.
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'build-tools', 'projenrc', 'examples', 'bench'],
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
  },

  // The preflight command (src/cli) reads YAML templates; jsii bundles non-jsii runtime dependencies.
  bundledDeps: ['yaml@^2.9.1'],

  devDeps: [
    '@aws-sdk/client-lambda',
    '@aws-sdk/client-codedeploy',
    '@types/aws-lambda',
    'aws-sdk-client-mock',
    'esbuild',
    // The resource specification `cdk diff` judges replacement by, and `cdk diff` itself (issue #16):
    // `diff`'s replacement table is generated from the first and cross-checked against the second.
    '@aws-cdk/aws-service-spec@^0.1.216',
    '@aws-cdk/cloudformation-diff',
  ],

  gitignore: ['/.jsii.tabl.json', '/dist/', '/bench/out/', '/bench/results/', '/.venv-py/', 'cdk.out/', '/examples/cdk.out/'],
});

// The README's two commands. Plain scripts rather than projen tasks: they must work on a fresh clone,
// before `npm install` has put projen itself on the path.
project.package.setScript('demo', 'bash scripts/demo.sh');
project.package.setScript('test:all', 'bash scripts/test-all.sh');

project.addPackageIgnore('/scripts/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('/rosetta/');

// integ-tests-alpha@latest needs a newer aws-cdk-lib than our floor; 2.214 is the newest alpha the 2.232.2 floor satisfies.
project.deps.removeDependency('@aws-cdk/integ-tests-alpha', DependencyType.DEVENV);
project.deps.addDependency('@aws-cdk/integ-tests-alpha@2.214.0-alpha.0', DependencyType.DEVENV);
// PythonFunction, for the adoption tests (issue #10): an alpha whose peer range our floor satisfies.
project.deps.addDependency('@aws-cdk/aws-lambda-python-alpha@2.232.2-alpha.0', DependencyType.DEVENV);

// The layers of src/ (ARCHITECTURE.md): an import across them fails the build (issue #18).
if (IMPORT_ZONES.length > 0) {
  project.eslint?.addRules({ 'import/no-restricted-paths': ['error', { zones: IMPORT_ZONES }] });
}

project.synth();
