import { Schema, type Connection, type InferSchemaType } from 'mongoose';

import { newId } from './ids';

const serviceSchema = new Schema(
  {
    _id: { type: String, default: () => newId('svc') },
    garageId: { type: String, required: true },
    name: { type: String, required: true },
    code: { type: String, default: null },
    durationMinutes: { type: Number, required: true },
    prices: { type: [new Schema({ vehicleType: String, price: Number }, { _id: false })], default: [] },
    taxRate: { type: Number, default: 0 },
    currency: { type: String, required: true },
  },
  { timestamps: true, versionKey: false },
);

const technicianSchema = new Schema(
  {
    _id: { type: String, default: () => newId('tec') },
    garageId: { type: String, required: true },
    name: { type: String, required: true },
    email: { type: String, default: null },
    skills: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);

const baySchema = new Schema(
  {
    _id: { type: String, default: () => newId('bay') },
    garageId: { type: String, required: true },
    name: { type: String, required: true },
    type: { type: String, default: null },
    outOfService: { type: Boolean, default: false },
  },
  { timestamps: true, versionKey: false },
);

export type ServiceDoc = InferSchemaType<typeof serviceSchema> & { _id: string; createdAt: Date; updatedAt: Date };
export type TechnicianDoc = InferSchemaType<typeof technicianSchema> & { _id: string; createdAt: Date; updatedAt: Date };
export type BayDoc = InferSchemaType<typeof baySchema> & { _id: string; createdAt: Date; updatedAt: Date };

export function registerCatalogModels(connection: Connection) {
  return {
    Service: connection.model('Service', serviceSchema, 'services'),
    Technician: connection.model('Technician', technicianSchema, 'technicians'),
    Bay: connection.model('Bay', baySchema, 'bays'),
  };
}
