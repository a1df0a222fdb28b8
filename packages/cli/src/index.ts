export { diagnose, type DoctorReport, type DoctorCheck } from './doctor.js';
