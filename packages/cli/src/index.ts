export { diagnose, type DoctorReport, type DoctorCheck } from './doctor.js';
export { runDemo, DEMO_CONTEMPORARY_DATE, REPOSITORY_ROOT, type DemoOptions, type DemoSummary, type DemoStep } from './demo.js';
