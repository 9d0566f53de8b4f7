import { createRequire } from 'node:module';
import type { BundleOptions } from '@temporalio/worker';

const require = createRequire(import.meta.url);

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
type WebpackPlugin = NonNullable<WebpackConfig['plugins']>[number];

/**
 * How the workflow code is bundled, the same everywhere: the worker in development (bundled at
 * start), the production bundle (`build:workflows`), the workflow tests and the code fingerprint of
 * docs/decisions/0007-versioning-running-workflows.md. `plugins` add webpack plugins (the
 * fingerprint's module list).
 *
 * The holiday calendars of runs started before plans moved into an activity still run inside the
 * sandbox; their date library pulls in moment, whose 130 locale files nothing in a workflow reads.
 * They are left out (webpack's IgnorePlugin, as moment documents), which keeps the bundle each
 * workflow thread loads smaller. A module left out is not a change of the code that runs: the
 * fingerprint lists the same packages and versions.
 */
export function workflowBundleOptions(
  plugins: WebpackPlugin[] = [],
): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook'> {
  return {
    workflowsPath: require.resolve('@settle/workflows/workflows'),
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        {
          apply(compiler) {
            new compiler.webpack.IgnorePlugin({
              resourceRegExp: /^\.\/locale$/,
              contextRegExp: /moment$/,
            }).apply(compiler);
          },
        },
        ...plugins,
      ],
    }),
  };
}
