// SPDX-License-Identifier: Apache-2.0
// Reports carry the replay's findings, transcript entries and connection summaries (RLPxCapture).
@_exported import RLPxCapture
