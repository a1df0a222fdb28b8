export type { NotebookCandidate, NotebookSource } from './notebook-source.js';
export type { CellEdit, CellSyntax, ErrorSignature, Failure, FailureError, FailureKind, FixAvailability, FixCell, FixEnvironment, FixKind, FixNotebook, FixSafety, Fix, FixType, FixTypeMeta, Match, MatchSite, PythonSyntaxNode, ScoreGap, SourceRange, SyntaxPoint } from './fix-type.js';
