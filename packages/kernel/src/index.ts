export { findKernelSpecs, findEnvironmentKernelSpec, readKernelSpec, jupyterDataDirs, type KernelSpec } from './kernelspecs.js';
