// SPDX-License-Identifier: Apache-2.0
import FuzzDriver
import RLPxFuzz

fuzz(FuzzEntries.discv5)
